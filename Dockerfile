ARG PYTHON_IMAGE=python:3.12-slim
FROM ${PYTHON_IMAGE}
# paperbot in a container: `docker compose up -d` (see README, "Self-hosting with Docker").
#
# Stage 0 (build): the runtime dependencies in a virtual environment at /opt/venv, and the
# code compiled to bytecode. pip and anything it downloads stay in this stage.

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
# strip (binutils), for this stage only: see below.
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends binutils >/dev/null \
    && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/venv

# Only the runtime lock file first, so that editing the code, the corpus or the config
# reuses this layer instead of downloading and installing the dependencies again. Every
# package is pinned with its hashes (requirements/runtime.txt, made by pip-compile): the image
# gets exactly the versions CI tested, and pip refuses any file whose hash is not in the lock.
#
# Then what the bot never runs leaves the venv (measured: the modules loaded by ask, check,
# health, ingest, update, chat and a Discord session answering every command and button):
# - the dependencies' own test suites (about 60 MB in numpy, scipy and scikit-learn);
# - scikit-learn's estimators (27 MB): the bot uses its text vectorizer, preprocessing and
#   utilities only (sklearn.feature_extraction, .preprocessing, .utils and what they import);
# - scipy's io, signal, cluster, odr, fftpack, datasets and misc (11 MB): scikit-learn imports
#   scipy.sparse, .special, .linalg, .optimize and .stats (which pulls in interpolate, integrate,
#   ndimage, spatial and fft), never these;
# - C headers, Cython declarations and type stubs, which only compilers and type checkers read
#   (numpy's f2py stays: `from numpy import *`, which scipy runs, imports it), numpy.distutils
#   (a build tool, gone from numpy for Python 3.12) and joblib's tests;
# - the symbol tables of the extension modules (20 MB), which only debuggers read; the loader
#   needs the dynamic ones, which stay. The libraries vendored in numpy.libs and scipy.libs are
#   left alone: auditwheel rewrote them with patchelf, and strip makes them unloadable. Every
#   shared object is then loaded once, so that a file strip broke fails the build (the check
#   exits without finalising: extension modules loaded but never initialised may not unload);
# - second copies: numpy's and scipy's wheels both vendor the same libgfortran and libquadmath,
#   byte for byte; scipy's become links to numpy's (3 MB);
# - the installer itself (pip, setuptools);
# - what matplotlib, rich and Pillow bring for drawing we never do (the /stats picture is bars and
#   words drawn by Agg into a PNG, and the terminal view is styled text; measured with the same
#   commands plus `stats --png`): fontTools but for agl and misc, the only parts matplotlib imports
#   outside its PDF and PostScript backends (10 MB); pygments, and markdown-it with mdurl, which
#   rich imports only to highlight code and render Markdown (9 MB); matplotlib's backends other
#   than Agg, its web and Qt files, tests, Sphinx extension, sample data, toolbar images and the
#   fonts but DejaVu Sans and LastResort (the chart has no serif or monospace text, and never math
#   text: bot/render/chart.py draws every name as written; the Type 1 metrics are for PDF and
#   PostScript), mpl_toolkits' axes_grid1 and axisartist, and contourpy with matplotlib's
#   triangulation extensions (imported only when contours or triangulations are drawn) (11 MB);
#   Pillow's AVIF, WebP, colour management, FreeType and Tk modules and the libraries only they
#   load (10 MB): matplotlib writes PNG through Pillow's core module;
# - numpy's test-only extension modules and scipy's UNU.RAN sampler (scipy.stats.sampling, which
#   imports it on first use) (3 MB).
# Every bot module is then imported, so that a removal something still needs fails the build.
COPY requirements/runtime.txt ./requirements.txt
RUN /opt/venv/bin/pip install --require-hashes -r requirements.txt \
    && site=$(/opt/venv/bin/python -c 'import sysconfig; print(sysconfig.get_path("purelib"))') \
    && find "$site" -depth -type d -name tests -exec rm -rf {} + \
    && cd "$site/sklearn" && rm -rf cluster compose covariance cross_decomposition datasets decomposition \
        ensemble experimental feature_selection frozen gaussian_process impute inspection linear_model \
        manifold metrics mixture model_selection neighbors neural_network semi_supervised svm tree _loss \
        _build_utils calibration.py discriminant_analysis.py dummy.py isotonic.py kernel_approximation.py \
        kernel_ridge.py multiclass.py multioutput.py naive_bayes.py pipeline.py random_projection.py \
    && cd "$site/scipy" && rm -rf io signal cluster odr fftpack datasets misc \
    && rm -rf "$site/numpy/_core/include" "$site/numpy/distutils" "$site/joblib/test" \
    && cd "$site" && rm -rf pygments pygments-* markdown_it markdown_it_py-* mdurl mdurl-* contourpy contourpy-* \
        mpl_toolkits/axes_grid1 mpl_toolkits/axisartist numpy/_core/_simd.* numpy/_core/_*_tests.* \
        scipy/stats/_unuran PIL/_avif.* PIL/_webp.* PIL/_imagingcms.* PIL/_imagingft.* PIL/_imagingtk.* \
        pillow.libs/libavif-* pillow.libs/libwebp* pillow.libs/libsharpyuv-* pillow.libs/liblcms2-* \
        pillow.libs/libfreetype-* pillow.libs/libharfbuzz-* pillow.libs/libbrotli* pillow.libs/libpng16-* \
        /opt/venv/bin/pygmentize /opt/venv/bin/markdown-it /opt/venv/bin/fonttools /opt/venv/bin/pyft* /opt/venv/bin/ttx \
    && find fontTools -mindepth 1 -maxdepth 1 ! -name __init__.py ! -name agl.py ! -name misc ! -name __pycache__ \
        -exec rm -rf {} + \
    && find fontTools/__pycache__ -type f ! -name '__init__.*' ! -name 'agl.*' -delete \
    && cd matplotlib && rm -rf testing sphinxext backends/qt_editor backends/web_backend _qhull.* _tri.* \
        mpl-data/sample_data mpl-data/images mpl-data/plot_directive mpl-data/kpsewhich.lua \
        mpl-data/fonts/afm mpl-data/fonts/pdfcorefonts \
    && find backends backends/__pycache__ -maxdepth 1 -type f ! -name '__init__.*' ! -name 'backend_agg.*' \
        ! -name 'registry.*' ! -name '_backend_agg.*' -delete \
    && find mpl-data/fonts/ttf -type f ! -name 'DejaVuSans.ttf' ! -name 'DejaVuSans-*.ttf' \
        ! -name 'LastResortHE-Regular.ttf' -delete \
    && cd / && find "$site" \( -name '*.pyi' -o -name '*.pxd' -o -name '*.pyx' -o -name '*.h' -o -name '*.c' \
        -o -name '*.cpp' \) -type f -delete \
    && find "$site" -path '*.libs' -prune -o -name '*.so' -type f -exec strip --strip-unneeded {} + \
    && for lib in "$site"/scipy.libs/*; do twin="$site/numpy.libs/${lib##*/}"; \
        if [ -f "$twin" ] && cmp -s "$lib" "$twin"; then ln -sf "../numpy.libs/${lib##*/}" "$lib"; fi; done \
    && /opt/venv/bin/python -c 'import ctypes, os, pathlib, sys; \
[ctypes.CDLL(str(p)) for p in pathlib.Path(sys.argv[1]).rglob("*.so*")]; os._exit(0)' "$site" \
    && /opt/venv/bin/pip uninstall --yes pip setuptools

# The root filesystem is read-only for the bot's user, so Python could not write __pycache__
# at run time: compile now. checked-hash keeps the bytecode valid whatever the files' dates.
#
# Then the bot runs once here: every module imported, a question answered, the corpus checked and
# the /stats picture drawn, so that a removal above that any of them needs fails the build. What
# they loaded is recorded, and the dependencies' bytecode for modules none of them loaded goes
# (10 MB): pip compiled every file, and most are never imported. Were one imported after all (a
# rarely used path), Python would compile it in memory: slower once, never wrong. The corpus and
# config are copied into this stage only for that run.
COPY bot/ /app/bot/
COPY corpus/ /app/corpus/
COPY config/ /app/config/
RUN /opt/venv/bin/python -m compileall -q --invalidation-mode checked-hash /app/bot \
    && cd /app && export MPLCONFIGDIR=/tmp/matplotlib \
    && record='import atexit, sys; atexit.register(lambda: open("/tmp/loaded", "a").writelines( \
f"{m.__cached__}\n" for m in list(sys.modules.values()) if getattr(m, "__cached__", None)))' \
    && /opt/venv/bin/python -c "$record"'; import importlib, pkgutil, bot; \
[importlib.import_module(m.name) for m in pkgutil.walk_packages(bot.__path__, "bot.") if "__main__" not in m.name]' \
    && run="$record"'; import runpy; sys.argv[0] = "bot"; runpy.run_module("bot", run_name="__main__", alter_sys=True)' \
    && /opt/venv/bin/python -c "$run" ask "What is COCOA?" >/dev/null \
    && /opt/venv/bin/python -c "$run" check >/dev/null \
    && /opt/venv/bin/python -c "$run" stats --png /tmp/check.png >/dev/null \
    && /opt/venv/bin/python -c 'import sys; from PIL import Image; im = Image.open(sys.argv[1]); \
assert im.format == "PNG" and im.size == (1000, 450), (im.format, im.size)' /tmp/check.png \
    && site=$(/opt/venv/bin/python -c 'import sysconfig; print(sysconfig.get_path("purelib"))') \
    && find "$site" -name '*.pyc' | grep -vxFf /tmp/loaded | xargs -r rm -f \
    && find "$site" -type d -name __pycache__ -empty -delete \
    && rm -rf /tmp/loaded /tmp/check.png /tmp/matplotlib


# Stage 1: the base image's files, minus what a Python program in a container never reads.
# Deleting files in a later layer does not shrink an image, so the runtime stage starts from
# scratch and copies this trimmed root in. Removed: the package manager's downloads and indexes
# (apt-get update recreates them), manual pages, documentation and translations of system
# tools' messages, glibc's iconv character sets (gconv: Python's codecs are its own), the
# system Python's own pip, setuptools and wheels (the bot runs from /opt/venv, which never sees
# them), and the standard library's IDE, Tk, 2to3, distutils, bundled pip wheels, help() topics
# (pydoc_data) and the C test modules of its own test suite.
ARG PYTHON_IMAGE=python:3.12-slim
FROM ${PYTHON_IMAGE} AS rootfs
RUN stdlib=$(python -c 'import sysconfig; print(sysconfig.get_path("stdlib"))') \
    && rm -rf /var/cache/apt/* /var/cache/debconf/*-old /var/lib/apt/lists/* /var/log/* \
        /usr/share/doc/* /usr/share/man/* /usr/share/info/* /usr/share/locale/* /usr/share/python-wheels \
        /usr/lib/*/gconv \
        /usr/lib/python3/dist-packages/pip* /usr/lib/python3/dist-packages/setuptools* \
        /usr/lib/python3/dist-packages/pkg_resources /usr/lib/python3/dist-packages/wheel* \
        "$stdlib"/ensurepip "$stdlib"/idlelib "$stdlib"/tkinter "$stdlib"/turtledemo "$stdlib"/lib2to3 \
        "$stdlib"/distutils "$stdlib"/test "$stdlib"/pydoc_data "$stdlib"/lib-dynload/_test*.so \
        "$stdlib"/lib-dynload/_ctypes_test*.so "$stdlib"/lib-dynload/_xxtestfuzz*.so "$stdlib"/lib-dynload/xxlimited*.so \
    && find / -xdev -path "$stdlib" -prune -o -type d -name site-packages -prune \
        -exec sh -c 'rm -rf "$1"/pip "$1"/pip-* "$1"/setuptools* "$1"/wheel*' _ {} \;
# A fixed uid, so that host files given to the container (the token secret) can be made
# readable by it alone, and so orchestrators can verify that it is not root. /app/data holds
# what the bot remembers (announced papers).
RUN useradd --uid 10001 --user-group --home-dir /nonexistent --no-create-home \
        --shell /usr/sbin/nologin paperbot \
    && mkdir -p /app/data && chown 10001:10001 /app/data
# Last, the package manager: the bot's user, on a read-only root filesystem, could never run it.
# Gone are apt, dpkg, debconf and gpgv, Perl (which only their scripts run) and the libraries
# only apt's downloaders load (GnuTLS and what it needs, seccomp, xxhash) (20 MB). Python's own
# ssl module uses OpenSSL, which stays. The package database stays, so that image scanners still
# list what is installed. To add a package, build from this Dockerfile's base instead.
RUN rm -rf /usr/bin/apt* /usr/lib/apt /usr/lib/*/libapt-* /usr/bin/dpkg* /usr/lib/dpkg /usr/share/dpkg \
        /usr/bin/debconf* /usr/share/debconf /usr/bin/gpgv /usr/bin/perl* /usr/lib/*/perl-base /usr/share/perl5 \
        /usr/lib/*/libgnutls* /usr/lib/*/libhogweed* /usr/lib/*/libnettle* /usr/lib/*/libidn2* \
        /usr/lib/*/libp11-kit* /usr/lib/*/libtasn1* /usr/lib/*/libunistring* /usr/lib/*/libxxhash* \
        /usr/lib/*/libseccomp*


# Runtime stage: the trimmed base plus the virtual environment, the code, the corpus and the
# config. No compiler, no pip, no tests.
FROM scratch AS runtime
COPY --from=rootfs / /

LABEL org.opencontainers.image.title="paperbot" \
      org.opencontainers.image.description="A self-hostable Discord bot that answers questions about one researcher's papers." \
      org.opencontainers.image.licenses="MIT"

# PYTHONPATH: the code lives in /app/bot, so `python -m bot` works from any working directory.
# PATH and LANG are set again: an image from scratch inherits no environment from the base.
# MPLCONFIGDIR: matplotlib keeps its font list there and needs it writable; /tmp is the one
# writable place on the read-only root (compose mounts a tmpfs there).
ENV PYTHONUNBUFFERED=1 \
    MPLCONFIGDIR=/tmp/matplotlib \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONPATH=/app \
    LANG=C.UTF-8 \
    PATH=/opt/venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

WORKDIR /app
COPY --from=0 /opt/venv /opt/venv
COPY --from=0 /app/bot /app/bot
# The corpus belongs to the bot's user: a refresh rewrites it (compose keeps it in a named volume,
# which Docker seeds from here on first start). The config stays root's and read-only.
COPY --chown=10001:10001 corpus/ /app/corpus/
COPY config/ /app/config/

USER 10001:10001

# Python turns SIGINT into KeyboardInterrupt even as PID 1 (it ignores SIGTERM there unless a
# handler is set), so `docker stop` ends the bot cleanly with or without an init process.
STOPSIGNAL SIGINT

# Healthy means connected to Discord: the bot writes the heartbeat file while its gateway
# connection is up (every 30 s) and, with the HTTP interactions endpoint, its processes all run;
# it removes the file when the connection drops. `bot health` fails when the file is missing or
# older than 90 s (a stuck event loop, a killed process, an endpoint process that stays down).
ENV BOT_HEARTBEAT_FILE=/tmp/paperbot/heartbeat
HEALTHCHECK --interval=1m --timeout=10s --start-period=1m --retries=2 \
    CMD ["python", "-m", "bot", "health"]

# The HTTP interactions endpoint's port, when discord.endpoint is configured (README, "Interactions over HTTP").
EXPOSE 8080

CMD ["python", "-m", "bot", "run"]

"""arXiv subject classes: the short codes a researcher profile shows ("LG") and their arXiv names."""

from __future__ import annotations

# Profiles show only the part after the archive's dot. Every computer-science class is here,
# plus the statistics classes and the two neighbours this field publishes in. No two of these
# archives share a code, so each code has one meaning.
CATEGORIES: dict[str, str] = {
    "AI": "cs.AI",  # Artificial Intelligence
    "AR": "cs.AR",  # Hardware Architecture
    "CC": "cs.CC",  # Computational Complexity
    "CE": "cs.CE",  # Computational Engineering, Finance, and Science
    "CG": "cs.CG",  # Computational Geometry
    "CL": "cs.CL",  # Computation and Language
    "CR": "cs.CR",  # Cryptography and Security
    "CV": "cs.CV",  # Computer Vision and Pattern Recognition
    "CY": "cs.CY",  # Computers and Society
    "DB": "cs.DB",  # Databases
    "DC": "cs.DC",  # Distributed, Parallel, and Cluster Computing
    "DL": "cs.DL",  # Digital Libraries
    "DM": "cs.DM",  # Discrete Mathematics
    "DS": "cs.DS",  # Data Structures and Algorithms
    "ET": "cs.ET",  # Emerging Technologies
    "FL": "cs.FL",  # Formal Languages and Automata Theory
    "GL": "cs.GL",  # General Literature
    "GR": "cs.GR",  # Graphics
    "GT": "cs.GT",  # Computer Science and Game Theory
    "HC": "cs.HC",  # Human-Computer Interaction
    "IR": "cs.IR",  # Information Retrieval
    "IT": "cs.IT",  # Information Theory
    "LG": "cs.LG",  # Machine Learning
    "LO": "cs.LO",  # Logic in Computer Science
    "MA": "cs.MA",  # Multiagent Systems
    "MM": "cs.MM",  # Multimedia
    "MS": "cs.MS",  # Mathematical Software
    "NA": "cs.NA",  # Numerical Analysis
    "NE": "cs.NE",  # Neural and Evolutionary Computing
    "NI": "cs.NI",  # Networking and Internet Architecture
    "OH": "cs.OH",  # Other Computer Science
    "OS": "cs.OS",  # Operating Systems
    "PF": "cs.PF",  # Performance
    "PL": "cs.PL",  # Programming Languages
    "RO": "cs.RO",  # Robotics
    "SC": "cs.SC",  # Symbolic Computation
    "SD": "cs.SD",  # Sound
    "SE": "cs.SE",  # Software Engineering
    "SI": "cs.SI",  # Social and Information Networks
    "SY": "cs.SY",  # Systems and Control
    "AP": "stat.AP",  # Applications
    "CO": "stat.CO",  # Computation
    "ME": "stat.ME",  # Methodology
    "ML": "stat.ML",  # Machine Learning (statistics)
    "OT": "stat.OT",  # Other Statistics
    "TH": "stat.TH",  # Statistics Theory
    "NC": "q-bio.NC",  # Neurons and Cognition
    "OC": "math.OC",  # Optimization and Control
}


# What members read instead of the codes ("Machine Learning", not "cs.LG").
CATEGORY_NAMES: dict[str, str] = {
    "cs.AI": "Artificial Intelligence",
    "cs.AR": "Hardware Architecture",
    "cs.CC": "Computational Complexity",
    "cs.CE": "Computational Engineering, Finance, and Science",
    "cs.CG": "Computational Geometry",
    "cs.CL": "Computation and Language",
    "cs.CR": "Cryptography and Security",
    "cs.CV": "Computer Vision and Pattern Recognition",
    "cs.CY": "Computers and Society",
    "cs.DB": "Databases",
    "cs.DC": "Distributed, Parallel, and Cluster Computing",
    "cs.DL": "Digital Libraries",
    "cs.DM": "Discrete Mathematics",
    "cs.DS": "Data Structures and Algorithms",
    "cs.ET": "Emerging Technologies",
    "cs.FL": "Formal Languages and Automata Theory",
    "cs.GL": "General Literature",
    "cs.GR": "Graphics",
    "cs.GT": "Computer Science and Game Theory",
    "cs.HC": "Human-Computer Interaction",
    "cs.IR": "Information Retrieval",
    "cs.IT": "Information Theory",
    "cs.LG": "Machine Learning",
    "cs.LO": "Logic in Computer Science",
    "cs.MA": "Multiagent Systems",
    "cs.MM": "Multimedia",
    "cs.MS": "Mathematical Software",
    "cs.NA": "Numerical Analysis",
    "cs.NE": "Neural and Evolutionary Computing",
    "cs.NI": "Networking and Internet Architecture",
    "cs.OH": "Other Computer Science",
    "cs.OS": "Operating Systems",
    "cs.PF": "Performance",
    "cs.PL": "Programming Languages",
    "cs.RO": "Robotics",
    "cs.SC": "Symbolic Computation",
    "cs.SD": "Sound",
    "cs.SE": "Software Engineering",
    "cs.SI": "Social and Information Networks",
    "cs.SY": "Systems and Control",
    "stat.AP": "Applications",
    "stat.CO": "Computation",
    "stat.ME": "Methodology",
    "stat.ML": "Machine Learning (statistics)",
    "stat.OT": "Other Statistics",
    "stat.TH": "Statistics Theory",
    "q-bio.NC": "Neurons and Cognition",
    "math.OC": "Optimization and Control",
}


def category_name(category: str) -> str:
    """The name of an arXiv category ("cs.LG" -> "Machine Learning"); an unknown one as it is."""
    return CATEGORY_NAMES.get(category, category)


def arxiv_category(code: str) -> str | None:
    """The arXiv name of a profile's category code ("LG" -> "cs.LG"), or None if unknown."""
    return CATEGORIES.get(code)

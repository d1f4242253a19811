"""The pure core: corpus, index and answers. Nothing here knows about Discord."""

"""Site: MkDocs over the docs folder, the search engine (Material or Pagefind), sitemaps."""

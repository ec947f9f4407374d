"""What a reader sees: the notebooks' helpers, the report's content, tables and charts, and the rendered pages.

- ``notebook``: :class:`Report`, one per notebook: numbered tables and figures, headings, texts, all escaped;
- ``evaluation``: the evaluation report's own prose and tables (003's layout); ``memo``: the review memo's;
- ``display``: how figures and tables look; ``charts``: the charts, with Chinese labels; ``fonts``: the CJK font;
- ``render``: an executed notebook to one self-contained HTML page (``templates/auditkit``);
- ``chromium``: headless Chromium for PDF, screenshots and the DOM.
"""

# Placeholder so migrations can be generated; helper-3 replaces this file with the real sanitiser.
import bleach
import markdown


def sanitise_html(html):
    return bleach.clean(html or "", tags={"p", "a", "strong", "em", "ul", "ol", "li", "h2", "h3", "br"}, strip=True)


def markdown_to_html(text):
    return sanitise_html(markdown.markdown(text or ""))

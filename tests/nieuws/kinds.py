from sharing.kinds import EntryKind, Section

from .models import NewsItem


class NewsKind(EntryKind):
    name = "nieuws"
    label = "Nieuwsbericht"
    label_plural = "Nieuwsberichten"
    model = NewsItem
    url_prefix = "nieuws"
    api_collection = "nieuws"
    sections = (Section("body", "", "bericht"),)
    database_search_columns = ("title", "keywords", "summary", "body")
    template = "nieuws/news_page.html"
    position = 30


NEWS = NewsKind()

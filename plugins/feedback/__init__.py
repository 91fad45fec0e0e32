"""Pelican glue for Gửi ý kiến / Hỏi đáp: the topic list for the form and the
pages /gop-y/, /gop-y/tra-cuu/ and /hoi-dap/. The service itself lives in
services/feedback; this plugin only renders static pages that call it."""
from pelican import signals
from pelican.generators import Generator

from services.feedback.submission import TOPICS

from .qa import group_by_topic

PAGES = (
    ("feedback.html", "gop-y/index.html", "gop-y/"),
    ("feedback_lookup.html", "gop-y/tra-cuu/index.html", "gop-y/tra-cuu/"),
    ("hoi_dap.html", "hoi-dap/index.html", "hoi-dap/"),
)


class FeedbackPagesGenerator(Generator):
    def generate_output(self, writer):
        category = self.settings.get("FEEDBACK_QA_CATEGORY", "Hỏi đáp")
        questions = [a for a in self.context.get("articles", []) if a.category.name == category]
        groups = group_by_topic(questions, TOPICS)
        for template, save_as, url in PAGES:
            writer.write_file(save_as, self.get_template(template.removesuffix(".html")),
                              self.context, self.settings["RELATIVE_URLS"],
                              override_output=True, url=url, qa_groups=groups,
                              qa_count=len(questions))


def _add_topics(pelican):
    pelican.settings["JINJA_GLOBALS"] = {**pelican.settings["JINJA_GLOBALS"], "feedback_topics": TOPICS}


def _get_generators(pelican):
    return FeedbackPagesGenerator


def register():
    signals.initialized.connect(_add_topics)
    signals.get_generators.connect(_get_generators)

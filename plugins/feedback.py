"""Pelican glue for Gửi ý kiến / Hỏi đáp: the topic list for the form and the
pages /gop-y/, /gop-y/tra-cuu/ and /hoi-dap/. The service itself lives in
cityportal/feedback; this plugin only renders static pages that call it."""
from pelican import signals
from pelican.generators import Generator

from cityportal.feedback.qa import group_by_topic
from cityportal.feedback.submission import TOPICS

# (template, the setting naming where it is written, its default)
PAGES = (
    ("feedback", "FEEDBACK_SAVE_AS", "gop-y/index.html"),
    ("feedback_lookup", "FEEDBACK_LOOKUP_SAVE_AS", "gop-y/tra-cuu/index.html"),
    ("hoi_dap", "FEEDBACK_QA_SAVE_AS", "hoi-dap/index.html"),
)


class FeedbackPagesGenerator(Generator):
    def generate_output(self, writer):
        category = self.settings.get("FEEDBACK_QA_CATEGORY", "Hỏi đáp")
        questions = [a for a in self.context.get("articles", []) if a.category.name == category]
        groups = group_by_topic(questions, TOPICS)
        for template, setting, default in PAGES:
            save_as = self.settings.get(setting, default)
            url = save_as.removesuffix("index.html")
            writer.write_file(save_as, self.get_template(template),
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

"""Gửi ý kiến / Hỏi đáp: receives citizens' questions, tracks them by code and
hands answered ones to the static site."""

"""Issue 10 item 3: limits that let a carrier's shared address through and hold a
script back. The live service for the mechanics; the service's own Limits in
the simulation of `invoke bench-feedback-limits` (fixed speeds, no clock) for
the hour. Figures come from that task, never from here."""
from __future__ import annotations

import pytest

from cityportal.bench import limits as simulation
from cityportal.feedback import captcha
from cityportal.feedback.limits import TOO_EASY, TOO_MANY_QUESTIONS, Limits
from cityportal.feedback.settings import Settings
from tests.feedback.service import answer_question, solve_pow, valid_fields

DEFAULTS = Limits.from_settings(Settings())


def test_the_proof_of_work_grows_with_the_addresss_recent_volume(start_service):
    live = start_service(pow_max_number=50, pow_doubling=2, pow_ceiling=5000)
    assert live.challenge()["altcha"]["maxNumber"] == 50
    assert live.submit().status == 201
    # One submission in the last hour and the last minute: volume 1 + 10.
    grown = live.challenge()["altcha"]
    assert grown["maxNumber"] == int(50 * 2 ** (11 / 2))
    assert "d=%d" % grown["maxNumber"] in grown["salt"]
    assert live.submit().status == 201
    assert live.challenge()["altcha"]["maxNumber"] == 5000  # the ceiling


def test_an_easy_challenge_kept_from_a_quiet_moment_is_refused(start_service):
    live = start_service(pow_max_number=50, pow_doubling=2, pow_ceiling=5000)
    saved = live.challenge()["altcha"]
    assert live.submit().status == 201
    assert live.submit().status == 201
    reply = live.post_json({**valid_fields(), "altcha": solve_pow(saved)})
    assert reply.status == 422
    assert reply.json["loi"]["ma_kiem_tra"] == TOO_EASY
    assert live.rows() == 2


def test_the_text_question_has_a_much_tighter_limit(start_service):
    live = start_service(question_limit_per_hour=2)

    def by_question():
        question = live.challenge()["cau_hoi"]
        return live.post_json({**valid_fields(), "cau_hoi_token": question["token"],
                               "cau_tra_loi": answer_question(question["van_ban"])})

    assert by_question().status == 201
    assert by_question().status == 201
    refused = by_question()
    assert refused.status == 429 and refused.json["thong_bao"] == TOO_MANY_QUESTIONS
    assert live.submit().status == 201  # the proof of work is still open to the address
    assert live.rows() == 3


def test_the_default_limits_let_100_people_an_hour_through_one_address():
    for per_hour in (100, 150):
        result = simulation.honest(DEFAULTS, per_hour)
        assert result.refused == 0
        assert result.sent >= 5 * per_hour
    # The browser's work per person at 100 an hour stays small: under a million digests.
    assert max(simulation.honest(DEFAULTS, 100).hashes) < 1_000_000


@pytest.mark.parametrize("hash_rate", [3e5, 3e6, 3e7, 3e9])
def test_a_script_is_held_to_a_few_a_minute(hash_rate):
    result = simulation.script(DEFAULTS, hash_rate)
    assert result.busiest_minute <= DEFAULTS.per_minute
    assert result.total <= DEFAULTS.per_hour
    # Once the hour's volume has built up, fewer than 8 a minute on average.
    assert sum(result.per_minute[10:]) / 50 < 8


def test_the_old_limit_would_have_locked_out_a_carriers_address():
    old = Limits(50_000, 10**9, 50_000, per_hour=5, per_minute=10**9, questions_per_hour=10**9)
    assert simulation.honest(old, 100).refused > 400


def test_the_question_and_altcha_salt_carry_what_the_limits_need():
    key = b"k" * 32
    challenge = captcha.issue_pow(key, now=0, ttl=10**10, max_number=40)
    ticket = captcha.verify_pow(solve_pow(challenge), key, now=1)
    assert (ticket.kind, ticket.difficulty) == (captcha.POW, 40)

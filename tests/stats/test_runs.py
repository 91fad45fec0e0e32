"""Several runs give exactly the counters of one run (issue 10, item 10)."""
import gzip

from tests.stats.logs import PHONE, StatsRun, log_line

TODAY = "2026-12-05T09:00:00+07:00"


def a_day_of_readers(day):
    """Twelve readers coming back every 20 minutes from 08:00 to 16:00 local."""
    lines = []
    for minute in range(8 * 60, 16 * 60, 20):
        for reader in range(12):
            moment = f"{day}T{minute // 60:02d}:{minute % 60:02d}:{reader:02d}+07:00"
            lines.append(log_line(moment, ip=f"192.0.2.{reader + 1}", agent=PHONE))
    return lines


def test_importing_rotated_files_oldest_first_keeps_a_day_that_continues_in_the_next(tmp_path):
    lines = a_day_of_readers("2026-11-27") + a_day_of_readers("2026-11-28")
    older, newer = lines[: len(lines) // 3], lines[len(lines) // 3:]
    (tmp_path / "cut").mkdir()
    (tmp_path / "whole").mkdir()
    cut, whole = StatsRun(tmp_path / "cut"), StatsRun(tmp_path / "whole")
    with gzip.open(tmp_path / "cut" / "access.log.2.gz", "wt", encoding="utf-8") as stream:
        stream.writelines(older)
    (tmp_path / "cut" / "access.log.1").write_text("".join(newer), encoding="utf-8")
    cut.ingest(TODAY, log=tmp_path / "cut" / "access.log.2.gz")
    cut.ingest(TODAY, log=tmp_path / "cut" / "access.log.1")
    whole.write(*lines)
    whole.ingest(TODAY)
    expected = {"visits": 12, "visitors": 12, "pageviews": 12 * 24}
    assert whole.report(TODAY).daily == {"2026-11-27": expected, "2026-11-28": expected}
    assert cut.report(TODAY).daily == whole.report(TODAY).daily

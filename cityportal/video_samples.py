"""The sample videos of /video/: short slide shows made with ffmpeg from the portal's own
drawn pictures, with Vietnamese WebVTT captions. `invoke video-samples` writes them into
content/video/; the files are small and committed, so a build needs no ffmpeg.

Each scene is one picture shown for SCENE_SECONDS with its caption. The pictures are
illustrations, and the page says the videos are samples.
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

SCENE_SECONDS = 4
WIDTH, HEIGHT = 640, 360
FOLDER = "video"  # under content/, published as /video/<name>.mp4 beside the /video/ page


@dataclass(frozen=True)
class Sample:
    name: str
    scenes: tuple[tuple[str, str], ...]  # (picture under content/images/, caption)

    @property
    def seconds(self) -> int:
        return SCENE_SECONDS * len(self.scenes)


SAMPLES = (
    Sample("mot-nam-chuyen-doi-so", (
        ("video/chuyen-doi-so.jpg", "Một năm chuyển đổi số ở thành phố Sông Lam."),
        ("2022/cong-thong-tin-moi.jpg", "Cổng thông tin điện tử mới: tin tức, văn bản và dịch vụ công ở một nơi."),
        ("2022/trung-tam-mot-cua.jpg", "Tại bộ phận một cửa, giấy tờ được số hóa ngay khi nhận hồ sơ."),
        ("2022/de-an-06-dinh-danh.jpg", "Tổ công nghệ số cộng đồng giúp người dân kích hoạt định danh điện tử."),
    )),
    Sample("le-hoi-den-lang-song-2024", (
        ("video/le-hoi-den-lang-song.jpg", "Lễ hội truyền thống đền Làng Sông năm 2024."),
        ("2024/le-hoi-den-lang-song.jpg", "Đua thuyền trên sông Lam trước cổng đền."),
        ("2023/san-pham-ocop.jpg", "Gian hàng sản phẩm OCOP của các xã, phường trong những ngày hội."),
    )),
)


def _timestamp(seconds: int) -> str:
    return f"00:{seconds // 60:02d}:{seconds % 60:02d}.000"


def captions(sample: Sample) -> str:
    """WebVTT: one cue per scene, in Vietnamese."""
    cues = ["WEBVTT", ""]
    for index, (_picture, text) in enumerate(sample.scenes):
        start = index * SCENE_SECONDS
        cues += [str(index + 1), f"{_timestamp(start)} --> {_timestamp(start + SCENE_SECONDS)}", text, ""]
    return "\n".join(cues)


def write_samples(content: Path, ffmpeg: str | None = None) -> list[Path]:
    """Write <name>.mp4, <name>.jpg (the poster, the first frame) and <name>.vi.vtt for
    every sample into content/video/; return the files written."""
    ffmpeg = ffmpeg or shutil.which("ffmpeg")
    if not ffmpeg:
        raise RuntimeError("cần ffmpeg để dựng video mẫu (Debian: apt-get install ffmpeg)")
    target = content / FOLDER
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for sample in SAMPLES:
        with tempfile.TemporaryDirectory() as work:
            listing = Path(work) / "scenes.txt"
            lines = []
            for picture, _text in sample.scenes:
                lines += [f"file '{(content / 'images' / picture).resolve()}'", f"duration {SCENE_SECONDS}"]
            # The concat demuxer needs the last picture again to hold it for its duration.
            lines.append(f"file '{(content / 'images' / sample.scenes[-1][0]).resolve()}'")
            listing.write_text("\n".join(lines) + "\n", encoding="utf-8")
            video = target / f"{sample.name}.mp4"
            subprocess.run([
                ffmpeg, "-y", "-loglevel", "error", "-f", "concat", "-safe", "0", "-i", str(listing),
                "-vf", f"scale={WIDTH}:{HEIGHT}:force_original_aspect_ratio=decrease,"
                       f"pad={WIDTH}:{HEIGHT}:(ow-iw)/2:(oh-ih)/2,fps=10,format=yuv420p",
                "-c:v", "libx264", "-preset", "veryslow", "-crf", "32", "-tune", "stillimage",
                "-movflags", "+faststart", "-an", "-t", str(sample.seconds),
                # No creation time or encoder string that changes between runs.
                "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:v", "+bitexact",
                str(video),
            ], check=True)
            poster = target / f"{sample.name}.jpg"
            subprocess.run([ffmpeg, "-y", "-loglevel", "error", "-i", str(video), "-frames:v", "1",
                            "-q:v", "4", "-map_metadata", "-1", "-fflags", "+bitexact", str(poster)], check=True)
            track = target / f"{sample.name}.vi.vtt"
            track.write_text(captions(sample), encoding="utf-8")
            written += [video, poster, track]
    return written

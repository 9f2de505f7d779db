"""bench/memory_recall.py runs end to end on a tiny LoCoMo-format file written here
(not the licensed data set): offline, and through LLM extraction on the fake server."""

from __future__ import annotations

import asyncio
import json
import os
import re
import sys
from pathlib import Path

import pytest

from tests.fakes.openai_server import FakeOpenAI
from tests.memory.helpers import ScriptedMemoryModel, local_minilm_dir

ROOT = Path(__file__).resolve().parents[2]

SAMPLE = [
    {
        "sample_id": "tiny-1",
        "conversation": {
            "speaker_a": "Ada",
            "speaker_b": "Ben",
            "session_1_date_time": "1:56 pm on 8 May, 2023",
            "session_1": [
                {"speaker": "Ada", "dia_id": "D1:1", "text": "I adopted a grey cat called Pixel."},
                {"speaker": "Ben", "dia_id": "D1:2", "text": "Lovely! I started pottery classes."},
                {"speaker": "Ada", "dia_id": "D1:3", "text": "My brother Tom lives in Oslo."},
            ],
            "session_2_date_time": "10:00 am on 20 May, 2023",
            "session_2": [
                {"speaker": "Ben", "dia_id": "D2:1", "text": "I ran my first half marathon."},
                {"speaker": "Ada", "dia_id": "D2:2", "text": "Pixel knocked over my plant."},
            ],
        },
        "qa": [
            {"question": "What is Ada's cat called?", "evidence": ["D1:1"], "category": 4},
            {"question": "Where does Tom live?", "evidence": ["D1:3"], "category": 4},
            {"question": "What race did Ben run?", "evidence": ["D2:1; D1:2"], "category": 1},
            {"question": "What did Ada say about dogs?", "evidence": [], "category": 5},
        ],
    }
]

LAST_LINE = re.compile(r"^recall_all@10=(\d\.\d{3}) tokens@10=(\d+)$")


async def bench(args: list[str], tmp_path: Path) -> tuple[int, str]:
    data = tmp_path / "tiny.json"
    data.write_text(json.dumps(SAMPLE))
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "bench" / "memory_recall.py"),
        "--data",
        str(data),
        "--embedding-model-dir",
        str(local_minilm_dir()),
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        env={"PATH": os.environ["PATH"], "HOME": str(tmp_path), "PYTHONPATH": str(ROOT)},
        cwd=tmp_path,
    )
    out, _ = await asyncio.wait_for(proc.communicate(), timeout=240)
    return proc.returncode or 0, out.decode()


@pytest.mark.slow
async def test_offline_windows_find_the_evidence(tmp_path: Path) -> None:
    code, out = await bench(["--window", "2", "--stride", "1"], tmp_path)
    assert code == 0, out
    match = LAST_LINE.match(out.strip().splitlines()[-1])
    assert match, out
    assert float(match.group(1)) == 1.0  # three questions, tiny store: all found
    assert "p95=" in out and "4 single-hop" in out


@pytest.mark.slow
async def test_llm_extraction_mode(tmp_path: Path, fake_llm: FakeOpenAI) -> None:
    model = ScriptedMemoryModel()
    model.extracts("Pixel", {"text": "Ada's grey cat is called Pixel.", "kind": "fact"})
    fake_llm.responder = model
    code, out = await bench(
        ["--mode", "llm", "--model", "openai:fake", "--model-base-url", fake_llm.base_url],
        tmp_path,
    )
    assert code == 0, out
    assert any("MEMORY EXTRACTION" in str(r["messages"][0]) for r in fake_llm.all_chat_requests())
    assert LAST_LINE.match(out.strip().splitlines()[-1]), out
    assert "memories per conversation: [1]" in out

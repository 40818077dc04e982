.PHONY: help install run test lint docs
help:  ## 列出目标 / list targets
	@grep -E '^[a-z]+:.*## ' Makefile | sed 's/:.*## /\t/'
install:  ## 安装（含开发依赖）/ install with dev extras
	python3 -m venv .venv && .venv/bin/pip install -q -e '.[dev]'
run: install  ## 运行主任务：计算器演示 / run the demo
	.venv/bin/jiuye demo
test: install  ## 全部测试 / all tests
	.venv/bin/python -m pytest -p no:cacheprovider
lint:  ## ruff + mypy
	.venv/bin/ruff check src tests benchmarks && .venv/bin/ruff format --check src tests benchmarks && .venv/bin/mypy
docs:  ## 重新生成数据字典与假设清单 / regenerate generated docs
	.venv/bin/jiuye facts schema --format markdown > docs/data-dictionary.md
	.venv/bin/jiuye policies assumptions --format markdown > docs/assumptions.md
	.venv/bin/python -m jiuye.registry.doc > docs/registry-format.md

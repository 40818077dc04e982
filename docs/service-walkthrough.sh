#!/usr/bin/env bash
# 从提交申请到对账的演示：一次性扩岗补助（gx.expansion），演示模式的案件服务。
# 先在另一个终端运行 README 的第一条命令（.venv/bin/jiuye serve --demo，新建的演示库），
# 再运行：bash docs/service-walkthrough.sh        （B=http://主机:端口 可改地址）
set -euo pipefail
B=${B:-http://127.0.0.1:8000}
W=$(mktemp -d)
json() { python3 -c "import sys,json; print(json.load(sys.stdin)$1)"; }
tok() { curl -s --fail-with-body -X POST "$B/auth/token" -d "username=$1&password=${JIUYE_DEMO_PASSWORD:-jiuye-demo-2025}" | json '["access_token"]'; }
CLERK=$(tok clerk); REVIEWER=$(tok reviewer1); FINANCE=$(tok finance); ADMIN=$(tok admin); AUDITOR=$(tok auditor)
H=(-H 'Content-Type: application/json')

echo "== 0. 演示模式：管理员把“今天”设为 2025-12-01（政策执行期内），以便走完公示期"
curl -s --fail-with-body -X POST "$B/demo/today" -H "Authorization: Bearer $ADMIN" "${H[@]}" -d '{"today":"2025-12-01"}' | json '["today"]'

echo "== 1. 经办员查看本辖区对象（号码脱敏）"
curl -s --fail-with-body "$B/subjects" -H "Authorization: Bearer $CLERK" | python3 -c \
  'import sys,json; [print(" ", s["id"], s["name"], s["number"]) for s in json.load(sys.stdin)]'

echo "== 2. 填写申请事实要用完整号码：说明事由后查看（记入审计日志）"
USCC=$(curl -s --fail-with-body -X POST "$B/subjects/1/unmask" -H "Authorization: Bearer $CLERK" "${H[@]}" -d '{"reason":"填写申请事实"}' | json '["number"]')
PID=$(curl -s --fail-with-body -X POST "$B/subjects/4/unmask" -H "Authorization: Bearer $CLERK" "${H[@]}" -d '{"reason":"填写申请事实"}' | json '["number"]')
cat > "$W/申请.json" <<JSON
{"measure_id": "gx.expansion", "subject_id": 1, "claimant_ref": "E1",
 "facts": {"employers": [{"id": "E1", "uscc": "$USCC", "kind": "enterprise", "region": "450103"}],
           "persons": [{"id": "P1", "id_number": "$PID", "unemployment_registered_on": "2025-01-10",
                        "unemployment_registration_ended_on": "2025-03-01"}],
           "employments": [{"person": "P1", "employer": "E1", "hire_date": "2025-03-01", "labour_contract": true,
                            "months_paid_ui": 10, "months_paid_injury": 10, "months_paid_pension": 10}]}}
JSON
APP=$(curl -s --fail-with-body -X POST "$B/applications" -H "Authorization: Bearer $CLERK" "${H[@]}" -d @"$W/申请.json" | json '["id"]')
echo "== 3. 提交：引擎自动校验（并查发放台账）"
curl -s --fail-with-body -X POST "$B/applications/$APP/submit" -H "Authorization: Bearer $CLERK" > /dev/null
curl -s --fail-with-body "$B/applications/$APP" -H "Authorization: Bearer $CLERK" | python3 -c \
  'import sys,json; a=json.load(sys.stdin); print(" ", a["state_label"], a["amount_submitted"], "元；", a["reasons"][0])'
echo "== 4. 受理送审、审核通过 → 公示"
curl -s --fail-with-body -X POST "$B/applications/$APP/accept" -H "Authorization: Bearer $CLERK" > /dev/null
curl -s --fail-with-body -X POST "$B/applications/$APP/approve" -H "Authorization: Bearer $REVIEWER" | python3 -c \
  'import sys,json; a=json.load(sys.stdin); print(" ", a["state_label"], "公示至", a["notice_last_day"])'
echo "== 5. 公示期满（演示：管理员把“今天”设为 2025-12-10），核准并写入发放台账"
curl -s --fail-with-body -X POST "$B/demo/today" -H "Authorization: Bearer $ADMIN" "${H[@]}" -d '{"today":"2025-12-10"}' > /dev/null
curl -s --fail-with-body -X POST "$B/applications/$APP/close-notice" -H "Authorization: Bearer $CLERK" | python3 -c \
  'import sys,json; a=json.load(sys.stdin); print(" ", a["state_label"], a["amount_approved"], "元")'
echo "== 6. 财务生成代发批次、导出银行文件"
BATCH=$(curl -s --fail-with-body -X POST "$B/batches" -H "Authorization: Bearer $FINANCE" "${H[@]}" -d '{"pay_date":"2025-12-15"}' | json '["id"]')
curl -s --fail-with-body "$B/batches/$BATCH/file" -H "Authorization: Bearer $FINANCE" -o "$W/代发.txt"
sed 's/^/  /' "$W/代发.txt"
echo "== 7. 银行处理后返回回盘文件（此处模拟：每行加上 成功|交易成功|时间），导入对账"
python3 - "$W" <<'PY'
import sys
folder = sys.argv[1]
lines = open(f"{folder}/代发.txt", encoding="utf-8-sig", newline="").read().split("\r\n")
done = [lines[0]] + [line + "|成功|交易成功|2025-12-16 10:00:00" for line in lines[1:] if line]
open(f"{folder}/回盘.txt", "w", encoding="utf-8-sig", newline="").write("\r\n".join(done) + "\r\n")
PY
curl -s --fail-with-body -X POST "$B/batches/$BATCH/return" -H "Authorization: Bearer $FINANCE" -F "file=@$W/回盘.txt"; echo
curl -s --fail-with-body "$B/applications/$APP" -H "Authorization: Bearer $CLERK" | python3 -c \
  'import sys,json; print(" ", json.load(sys.stdin)["state_label"])'
echo "== 8. 审计人员核验审计日志"
curl -s --fail-with-body "$B/audit/verify" -H "Authorization: Bearer $AUDITOR" | json '["message"]'
rm -rf "$W"

"""Curate the helpers' research rows into the bundled CSVs (run once; output reviewed by hand)."""
import csv, glob, re, sys
from collections import defaultdict
OUT = "/work/main/obligations/data/icrmw"
RESEARCHED = "2026-11-25"
skipped = []

def rows(kind):
    out = []
    for f in sorted(glob.glob(f"/work/research/g*/{kind}.csv")):
        for r in csv.DictReader(open(f, encoding="utf-8")):
            r = {k: (v or "").strip() for k, v in r.items() if k}
            r["_file"] = f.split("/")[-2]
            out.append(r)
    return out

def source(r):
    doc = r.get("source", "")
    url = r.get("url", "")
    note = r.get("note", "").lower()
    copy = ""
    if "copy" in note:
        host = re.sub(r"^https?://([^/]+)/.*", r"\1", url)
        copy = f" (copy on {host})"
    text = f"{doc}{copy}" + (f" <{url}>" if url else "")
    return text[:500]

def last_number(symbol):
    m = re.search(r"/(\d+)(?:-(\d+))?$", symbol)
    return m.group(2) or m.group(1) if m else ""

def write(name, header, data):
    with open(f"{OUT}/{name}", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        for row in sorted(data, key=lambda x: [str(c) for c in x]):
            w.writerow(row)
    print(name, len(data))

# reports
report_symbols = {}
reports = []
for r in rows("reports"):
    if r["symbol"]:
        report_symbols[(r["state"], r["numbers"])] = r["symbol"]
    if not r["received"]:
        skipped.append(("report", r["state"], r["numbers"], "no date received in the documents read"))
        continue
    reports.append([r["state"], r["numbers"], r["received"], r["symbol"], r["procedure"] or "standard", source(r)])
write("reports.csv", ["state", "numbers", "received", "symbol", "procedure", "source"], reports)
covers = [r for r in rows("reports") if r["due_on_cover"] and r["received"]]

# reviews
reviews = []
for r in rows("reviews"):
    if not r["date"]:
        skipped.append(("review", r["state"], r["numbers"], "no date of the dialogue in the documents read"))
        continue
    absent = r["without_report"].lower() == "yes"
    # A review's symbol is that of the concluding observations that closed it.
    closing = sorted(o["adopted"] for o in rows("observations")
                     if o["state"] == r["state"] and o["symbol"] and o["adopted"] >= r["date"])
    symbol = next((o["symbol"] for o in rows("observations") if o["state"] == r["state"]
                   and closing and o["adopted"] == closing[0] and o["symbol"]), "")
    reviews.append([r["state"], r["numbers"], r["session"], r["date"], r["end_date"], "yes" if absent else "no", symbol, source(r)])
write("reviews.csv", ["state", "numbers", "session", "date", "end_date", "without_report", "symbol", "source"], reviews)

# concluding observations
observations = []
decisions = []
for r in rows("observations"):
    if r["next_due_mode"] == "fixed" and r["next_due"]:
        first, _, last = r["next_numbers"].partition("-")
        for n in range(int(first), int(last or first) + 1):
            decisions.append([r["state"], n, r["next_due"], r["adopted"], "fix_due_date", r["symbol"], source(r)])
    if not r["symbol"]:
        skipped.append(("observations", r["state"], r["adopted"], "symbol not legible in the documents read"))
        continue
    follow = r["follow_up_due"]
    observations.append([r["state"], last_number(r["symbol"]), r["symbol"], r["adopted"], r["session"],
                         r["next_numbers"] if r["next_due_mode"] != "unknown" else "",
                         r["next_due"], r["next_due_mode"] or "unknown", follow, r["follow_up_paras"].replace(";", ", "), source(r)])
write("concluding_observations.csv", ["state", "number", "symbol", "adopted", "session", "next_numbers", "next_due", "next_due_mode", "follow_up_due", "follow_up_paragraphs", "source"], observations)

# LOIPRs and lists of issues
loiprs, lists = [], []
for r in rows("loiprs"):
    if not r["symbol"] or not r["transmitted"]:
        skipped.append(("loipr", r["state"], r["symbol"] or r["report_number"], "symbol or date not legible"))
        continue
    if "/QPR/" not in r["symbol"]:
        lists.append([r["state"], r["report_number"], r["symbol"], r["transmitted"], "", "", source(r)])
        continue
    loiprs.append([r["state"], last_number(r["symbol"]), r["symbol"], r["transmitted"], r["deadline"], source(r)])
for r in rows("lists_of_issues"):
    if not r["issued"]:
        skipped.append(("list of issues", r["state"], r["symbol"], "date of issue not found"))
        continue
    lists.append([r["state"], r["report_number"], r["symbol"], r["issued"], r["replies_received"], r["replies_symbol"] if r["replies_received"] else "", source(r)])
write("loiprs.csv", ["state", "report", "symbol", "transmitted", "deadline", "source"], loiprs)
write("lists_of_issues.csv", ["state", "report", "symbol", "issued", "replies_received", "replies_symbol", "source"], lists)

# follow-up
follow = [[r["state"], last_number(r["observations_symbol"]), r["symbol"], r["received"], source(r)] for r in rows("follow_up")]
write("follow_up.csv", ["state", "number", "symbol", "received", "source"], follow)

# decisions from report covers are decided later (see decide.py); CO-fixed ones here
with open("/work/research/out/co_decisions.csv", "w", newline="") as fh:
    w = csv.writer(fh, lineterminator="\n"); w.writerow(["state", "report", "due", "decided", "kind", "symbol", "source"]); w.writerows(decisions)
with open("/work/research/out/covers.csv", "w", newline="") as fh:
    w = csv.writer(fh, lineterminator="\n"); w.writerow(["state", "numbers", "received", "symbol", "due_on_cover", "source"])
    for r in covers: w.writerow([r["state"], r["numbers"], r["received"], r["symbol"], r["due_on_cover"], source(r)])

# coverage: researched up to the first CO whose next-report paragraph was not read
found_states = {r["state"] for k in ("reports", "reviews", "observations") for r in rows(k)}
first_unknown = defaultdict(list)
for r in rows("observations"):
    if r["next_due_mode"] == "unknown":
        first_unknown[r["state"]].append(r["adopted"])
history = []
for state in sorted(found_states):
    if first_unknown[state]:
        until = min(first_unknown[state])
        note = "Committee-set dates after this date not on record: the next-report paragraph of the concluding observations adopted on it was not read"
    else:
        until, note = RESEARCHED, "researched in UN documents"
    history.append([state, until, note])
write("reporting_history.csv", ["state", "researched_until", "note"], history)

with open("/work/research/out/skipped.csv", "w", newline="") as fh:
    w = csv.writer(fh, lineterminator="\n"); w.writerow(["fact", "state", "what", "why"]); w.writerows(skipped)
print("skipped", len(skipped))

"""Cover 'due in YYYY' -> Committee decision where it differs from the date the record computes."""
import csv, sys
from datetime import date
sys.path.insert(0, "/work/main")
from obligations.db import make_engine, session_factory, transaction
from obligations.record import load_record
from obligations import queries, recording
from obligations.rules.precision import parse_partial

e = make_engine("sqlite:////tmp/t1.sqlite3")
covers = list(csv.DictReader(open("/work/research/out/covers.csv")))
covers.sort(key=lambda r: (r["state"], int(r["numbers"].split("-")[0])))
added, agreed = [], []
for r in covers:
    years = r["due_on_cover"].split(";")
    first, _, last = r["numbers"].partition("-")
    numbers = list(range(int(first), int(last or first) + 1))
    if len(years) == 1:
        years = years * len(numbers)
    received, _ = parse_partial(r["received"])
    for n, year in zip(numbers, years):
        with transaction(session_factory(e)) as s:
            record = load_record(s)
            before = received.fromordinal(received.toordinal() - 1)
            dossier = queries.state_dossier(record, r["state"], before)
            computed = next((x for x in dossier.reports if x.number == n), None)
            computed_due = computed.due if computed else None
            same = computed_due is not None and str(computed_due)[:4] == year
            if same:
                agreed.append((r["state"], n, year, str(computed_due), computed.basis))
                continue
            recording.record_decision(s, r["state"], n, year, r["received"], r["symbol"] or None, "fix_due_date",
                                      "cover of " + r["source"])
            added.append([r["state"], n, year, r["received"], "fix_due_date", r["symbol"], "cover of " + r["source"]])
            print("decision", r["state"], n, year, "computed", computed_due)
with open("/work/research/out/cover_decisions.csv", "w", newline="") as fh:
    w = csv.writer(fh, lineterminator="\n"); w.writerows(added)
with open("/work/research/out/cover_agreed.csv", "w", newline="") as fh:
    w = csv.writer(fh, lineterminator="\n"); w.writerow(["state","report","cover_year","computed_due","basis"]); w.writerows(agreed)
print(len(added), "decisions;", len(agreed), "agree with the computed date")

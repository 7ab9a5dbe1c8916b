import Foundation
import QueueDeckDomain
import QueueDeckJournal

/// `qdeck-bench replay-vs-python JOURNAL`: a full replay (read, check, decode, fold into the desk
/// state; best of 3) of a real journal, next to Python's `json` module parsing the same events as
/// `qdeck log dump` prints them (best of 3), in the same run. Target (issue 6): replay ≥ 4× faster.
enum ReplayVsPython {
    static func run(_ args: [String]) {
        guard let path = args.first else { print("replay-vs-python JOURNAL"); exit(64) }
        var best = Double.infinity
        var tickets = 0, events = 0
        for _ in 0..<3 {
            let t0 = nanos()
            var state = DeskState(autoCloseAfter: .days(4))
            var n = 0
            try! FileJournal(path: path, writable: false).readNew { state.apply($0); n += 1 }
            best = min(best, Double(nanos() - t0) / 1e9)
            tickets = state.count
            events = n
        }
        let qdeck = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("qdeck").path
        let dump = NSTemporaryDirectory() + "qdeck-dump-\(getpid()).jsonl"
        defer { unlink(dump) }
        _ = runProgram("/bin/sh", ["-c", "'\(qdeck)' --journal '\(path)' log dump > '\(dump)'"])
        let script = "import json, sys, time\nbest = 1e9\nfor _ in range(3):\n    t = time.perf_counter()\n    n = 0\n    with open(sys.argv[1]) as f:\n        for line in f:\n            json.loads(line); n += 1\n    best = min(best, time.perf_counter() - t)\nprint(n, best)\n"
        let out = runProgram("/usr/bin/env", ["python3", "-c", script, dump]).1.split(separator: " ")
        let pyEvents = Int(out.first ?? "") ?? 0
        let pySecs = Double(out.last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? .nan
        let size = (try? FileManager.default.attributesOfItem(atPath: dump)[.size] as? Int) ?? 0
        print("full replay of \(events) events into \(tickets) tickets: \(f1(best * 1000)) ms (\(Int(Double(events) / best)) events/s), best of 3")
        print("python3 json.loads of the same \(pyEvents) events from `qdeck log dump` (\(size / 1_000_000) MB): \(f1(pySecs * 1000)) ms, best of 3")
        print("replay vs Python json: \(String(format: "%.2f", pySecs / best))×   target ≥ 4×")
    }
}

import Foundation
import QueueDeckDomain
import QueueDeckJournal

/// `qdeck-bench startup JOURNAL`: start-up on a large journal, with a snapshot and by full replay
/// (`--replay`) in the same run: `qdeck stats` wall time and peak RSS, the console's first frame,
/// and in-process the snapshot's load and write times. Uses the qdeck beside this binary, which
/// writes its own snapshot on the first run if there is none.
enum StartupBench {
    static func run(_ args: [String]) {
        guard let journal = args.first else {
            FileHandle.standardError.write(Data("usage: qdeck-bench startup JOURNAL\n".utf8))
            exit(64)
        }
        let qdeck = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("qdeck").path
        // The first command after many events writes the snapshot (and waits for it before exiting).
        let first = AllBench.timed(qdeck, ["--journal", journal, "stats"])
        guard let snap = SnapshotFile.list(journal: journal).first else {
            print("  no snapshot was written beside \(journal)")
            return
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: snap.path)[.size] as? Int) ?? 0
        print("  snapshot: \(snap.path) (\(size / 1_000_000) MB, sequence \(snap.seq)); the first stats of this run (writing it if there was none): \(f1(first * 1000)) ms")
        for (label, extra) in [("with the snapshot", [String]()), ("full replay (--replay)", ["--replay"])] {
            let (secs, rss) = statsRun(qdeck, journal, extra, runs: 5)
            print("  qdeck stats, \(label): median \(f1(secs[2] * 1000)) ms, best \(f1(secs[0] * 1000)) ms of 5; peak RSS \(rss / 1024) MB")
        }
        for (label, extra) in [("with the snapshot", ["console"]), ("full replay (--replay)", ["console", "--replay"])] {
            let frames = (0..<5).compactMap { _ in ConsoleStartBench.firstFrame(qdeck: qdeck, journal: journal, extra: extra) }.sorted()
            guard frames.count == 5 else { print("  console first frame, \(label): no frame within 30 s"); continue }
            print("  console first frame, \(label): median \(f1(frames[2] * 1000)) ms, best \(f1(frames[0] * 1000)) ms of 5 (160×45 pty)")
        }
        inProcess(journal)
        print("  targets: stats and the console's first frame under 500 ms with a snapshot; RSS under 1 GiB")
    }

    static func statsRun(_ qdeck: String, _ journal: String, _ extra: [String], runs: Int) -> ([Double], Int) {
        var secs: [Double] = []
        var rssKB = 0
        let rss = NSTemporaryDirectory() + "qdeck-bench-rss-\(getpid())"
        defer { unlink(rss) }
        for _ in 0..<runs {
            // /usr/bin/time reports this one process's peak RSS.
            secs.append(AllBench.timed("/usr/bin/time", ["-o", rss, "-f", "%M", qdeck, "--journal", journal, "stats"] + extra))
            rssKB = max(rssKB, Int((try? String(contentsOfFile: rss, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0)
        }
        return (secs.sorted(), rssKB)
    }

    /// Load and write of a snapshot by this process (its own build, beside a scratch name so that
    /// qdeck's snapshots are left alone).
    static func inProcess(_ journal: String) {
        let scratch = journal + ".bench-\(getpid())"
        defer { for f in SnapshotFile.list(journal: scratch) { unlink(f.path) } }
        let j = try! FileJournal(path: journal, writable: false)
        let t0 = nanos()
        let full = try! DeskLoader.load(j, autoCloseAfter: Millis.days(3), useSnapshots: false)
        let replay = Double(nanos() - t0) / 1e6
        let w0 = nanos()
        let written = try! SnapshotFile.write(full.state, position: j.position!, journal: scratch, now: Instant(ms: 0))
        let write = Double(nanos() - w0) / 1e6
        let header = try! SnapshotFile.readHeader(written.path)
        let l0 = nanos()
        let loaded = try! SnapshotFile.readState(written.path, header: header)
        let load = Double(nanos() - l0) / 1e6
        precondition(loaded == full.state, "a snapshot must load back to the replayed desk")
        print("  in process, \(full.state.count) tickets: full replay \(f1(replay)) ms; snapshot write (encode, fsync, rename) \(f1(write)) ms; "
              + "snapshot load (map, CRC, decode on all cores) \(f1(load)) ms; loaded desk equals the replay")
    }
}

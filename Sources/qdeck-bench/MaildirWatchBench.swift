import Foundation
import QueueDeckJournal

/// `qdeck-bench maildir-watch DIR N`: runs `qdeck ingest maildir --watch` (the binary beside this
/// one) on an empty Maildir, then delivers N messages one at a time as a fetcher does (written in
/// tmp/, renamed into new/), and measures each one's way to a ticket another process can see: from
/// the rename to a follower of the journal reading the ticket's creation. Baseline in the same run:
/// `cp` of the same files into a folder (the bare cost of a delivery on this disk).
enum MaildirWatchBench {
    static func run(dir: String, n: Int) {
        let root = dir + "/qdeck-maildir-watch-\(getpid())"
        let box = root + "/Maildir"
        for sub in ["cur", "new", "tmp"] { try! FileManager.default.createDirectory(atPath: box + "/" + sub, withIntermediateDirectories: true) }
        defer { try? FileManager.default.removeItem(atPath: root) }
        let journal = root + "/desk.journal"
        let qdeck = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("qdeck").path
        // The journal exists before the watcher and the follower open it.
        _ = runProgram(qdeck, ["--journal", journal, "ingest", "maildir", box])
        let watcher = Process()
        watcher.executableURL = URL(fileURLWithPath: qdeck)
        watcher.arguments = ["--journal", journal, "ingest", "maildir", box, "--watch"]
        watcher.standardOutput = FileHandle.nullDevice
        try! watcher.run()
        defer { watcher.terminate(); watcher.waitUntilExit() }
        let reader = try! FileJournal(path: journal, writable: false)
        _ = try! reader.readNew()
        let follower = FileFollower(path: journal, pollFallbackMillis: 50)
        usleep(300_000)  // the watcher is listening
        var latencies: [Double] = []
        for i in 0..<n {
            let name = "\(1_790_000_000 + i).M\(i)P1.bench"
            FileManager.default.createFile(atPath: box + "/tmp/" + name, contents: Data(MaildirBench.message(i * 3)))
            let t0 = nanos()
            rename(box + "/tmp/" + name, box + "/new/" + name)
            var seen = false
            while !seen && nanos() - t0 < 10_000_000_000 {
                follower.wait(timeoutMillis: 50)
                seen = !((try? reader.readNew()) ?? []).isEmpty  // a ticket, or an auto-reply held apart
            }
            latencies.append(Double(nanos() - t0) / 1e6)
        }
        let sorted = latencies.sorted()
        print("maildir --watch: \(n) messages delivered one at a time into new/ → ticket read by a follower")
        print("  median \(f1(percentile(sorted, 0.5))) ms, p99 \(f1(percentile(sorted, 0.99))) ms, max \(f1(sorted.last ?? 0)) ms")
        // Baseline: the same files copied one at a time with cp (a process per file, as a fetcher's delivery).
        let copies = root + "/copies"
        try! FileManager.default.createDirectory(atPath: copies, withIntermediateDirectories: true)
        var cp: [Double] = []
        for name in (try! FileManager.default.contentsOfDirectory(atPath: box + "/cur")).prefix(n) {
            let t0 = nanos()
            _ = runProgram("/bin/cp", [box + "/cur/" + name, copies + "/"])
            cp.append(Double(nanos() - t0) / 1e6)
        }
        let cps = cp.sorted()
        print("baseline: cp of each file, one process each: median \(f1(percentile(cps, 0.5))) ms, p99 \(f1(percentile(cps, 0.99))) ms")
    }
}

import Foundation

/// `qdeck-bench all [DIR]`: every scale figure of docs/PERFORMANCE.md in one run, each beside its
/// baseline: durable append vs raw write+fdatasync, replay vs JSONDecoder, a 1,000,000-event desk
/// (`qdeck demo --events`), its full replay vs Python's json, start-up on it with a snapshot and by
/// full replay (`qdeck stats`, peak RSS, the console's first frame), and live propagation to 3
/// follower processes.
enum AllBench {
    static func run(dir: String) {
        let root = dir + "/qdeck-all-\(getpid())"
        try! FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        print("== durable append (issue 2)")
        AppendBench.run(dir: root, n: 2000)
        print("\n== replay vs JSONDecoder (issue 2)")
        ReplayBench.run(dir: root, events: 500_000)
        print("\n== a year of history: 1,000,000 events (issue 6)")
        let qdeck = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("qdeck").path
        let journal = root + "/year.journal"
        let demoSecs = timed(qdeck, ["--journal", journal, "demo", "--events", "1000000", "--no-console"])
        print("  qdeck demo --events 1000000: \(f1(demoSecs)) s")
        ReplayVsPython.run([journal])
        print("\n== start-up on it: snapshot vs full replay (issue 6)")
        StartupBench.run([journal])
        print("\n== live propagation (issue 6)")
        PropagationBench.run(dir: root, n: 1000)
    }

    /// Seconds a program takes to run to its end.
    static func timed(_ path: String, _ args: [String], env: [String: String] = [:]) -> Double {
        let t0 = nanos()
        _ = runProgram(path, args, env: env)
        return Double(nanos() - t0) / 1e9
    }
}

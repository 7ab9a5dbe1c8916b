import Foundation
import Testing

/// Runs the built binaries the way a user or a script would.
enum Harness {
    /// The folder holding the built `qdeck` and `qdeck-bench`: beside the test bundle.
    static let binDir: String = {
        // Every program a test starts (through the harness or a shell) hands replies to nothing
        // unless the test says where: a shell-run reply once went out through the real Postfix.
        setenv("QDECK_SENDMAIL", "/bin/true", 0)
        if let d = ProcessInfo.processInfo.environment["QDECK_TEST_BIN_DIR"] { return d }
        var candidates: [String] = []
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append((exe as NSString).deletingLastPathComponent)
        }
        candidates.append((CommandLine.arguments[0] as NSString).deletingLastPathComponent)
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        candidates.append(root + "/.build/debug")
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0 + "/qdeck") } ?? candidates.last!
    }()

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var lastLine: String { stdout.split(separator: "\n").last.map(String.init) ?? "" }
    }

    static func run(_ program: String = "qdeck", _ args: [String], env: [String: String] = [:], stdin: String? = nil,
                    in folder: String? = nil) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binDir + "/" + program)
        if let folder { p.currentDirectoryURL = URL(fileURLWithPath: folder) }
        var environment = ProcessInfo.processInfo.environment
        environment["QDECK_JOURNAL"] = nil
        environment["QDECK_CONFIG"] = nil
        // An agent acts; intake runs as the mail server's user does (the built-in roster's intake role).
        environment["QDECK_AGENT"] = args.contains("ingest") && !args.contains("held") ? "nobody" : "anna"
        // Replies on email tickets go to sendmail: tests that send say where; the rest send nowhere.
        environment["QDECK_SENDMAIL"] = "/bin/true"
        for (k, v) in env { environment[k] = v }
        p.arguments = actingAsLogin(args, &environment)
        p.environment = environment
        let out = Pipe(), err = Pipe(), inp = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = inp
        try p.run()
        if let stdin { inp.fileHandleForWriting.write(Data(stdin.utf8)) }
        try inp.fileHandleForWriting.close()
        // Read both pipes while the process runs, so a large output cannot block it.
        final class Box: @unchecked Sendable { var data = Data() }
        let errBox = Box()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { errBox.data = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        let errData = errBox.data
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Polls `condition` until it holds or the deadline passes; never a bare sleep.
    static func eventually(within seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            usleep(20_000)
        }
        return try condition()
    }
}

/// Runs a program (found on PATH) to its end: its status and its output and errors together.
func runToEnd(_ args: [String], env: [String: String] = [:]) throws -> (Int32, String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = args
    p.environment = ProcessInfo.processInfo.environment.merging(env) { $1 }
    let out = Pipe()
    p.standardOutput = out
    p.standardError = out
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// A scratch desk: its own folder and journal, a file or (`.postgres`) a database of its own in
/// the shared test cluster, acted on as anna unless a test says otherwise.
final class Scratch {
    let dir: String
    let kind: JournalKind
    let journal: String
    init(_ kind: JournalKind = .file) {
        self.kind = kind
        dir = NSTemporaryDirectory() + "qdeck-e2e-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        switch kind {
        case .file: journal = dir + "/desk.journal"
        case .postgres:
            let cluster = SharedCluster.shared
            journal = cluster.uri(try! cluster.newDatabase(), user: "anna")
        }
    }

    /// A demo desk in this scratch journal: the demo writes a file; a database gets it by
    /// `log copy`, as a team moving its desk would.
    func demo(_ args: [String] = [], env: [String: String] = [:]) throws -> Harness.Result {
        switch kind {
        case .file: return try Harness.run("qdeck", ["demo", "--journal", journal, "--no-console"] + args, env: env)
        case .postgres:
            let file = dir + "/demo.journal"
            let made = try Harness.run("qdeck", ["demo", "--journal", file, "--no-console"] + args, env: env)
            guard made.status == 0 else { return made }
            // Importing history is for the database's administrators: the roster's admin.
            return try Harness.run("qdeck", ["log", "copy", file, journal], env: env.merging(["QDECK_AGENT": "admin"]) { $1 })
        }
    }
    deinit { try? FileManager.default.removeItem(atPath: dir) }

    func qdeck(_ args: String..., env: [String: String] = [:], stdin: String? = nil) throws -> Harness.Result {
        try Harness.run("qdeck", ["--journal", journal] + args, env: env, stdin: stdin)
    }

    /// Creates a ticket and returns its ID.
    func newTicket(_ channel: String = "email", subject: String = "Cannot log in", body: String = "Password rejected",
                   customer: String = "Ilze Bērziņa <ilze@inbox.lv>", extra: [String] = []) throws -> String {
        let r = try Harness.run("qdeck", ["--journal", journal, "new", channel, "--customer", customer, "--subject", subject, "--body", body] + extra)
        #expect(r.status == 0, "new failed: \(r.stderr)")
        return r.lastLine
    }

    func json(_ args: String...) throws -> Any {
        let r = try Harness.run("qdeck", ["--journal", journal] + args + ["--json"])
        #expect(r.status == 0, "\(args): \(r.stderr)")
        return try JSONSerialization.jsonObject(with: Data(r.stdout.utf8))
    }
}

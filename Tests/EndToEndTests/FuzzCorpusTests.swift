import Foundation
import Testing

/// Every committed fuzz input (the seeds, and each crash or hang the fuzzers found, kept with its
/// fix) runs through the same entry points the fuzzers drive, without crashing.
@Suite struct FuzzCorpusTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fuzz").path

    @Test(arguments: ["journal", "filter", "email", "queue-log", "snapshot", "chat", "team-file", "address"])
    func committedInputsRunClean(_ target: String) throws {
        let r = try Harness.run("qdeck-fuzz", [target, Self.root + "/seeds/" + target, Self.root + "/regressions/" + target])
        #expect(r.status == 0, "\(target): \(r.stderr.prefix(2000))")
        let ran = Int(r.stdout.split(separator: " ").dropFirst().first ?? "") ?? 0
        #expect(ran >= 2, "\(target): \(r.stdout)")
    }
}

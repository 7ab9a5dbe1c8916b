import Foundation
import Testing
@testable import QueueDeckMail

/// Every message of Python's own email test corpus (Debian's libpython3.11-testsuite, installed by
/// scripts/setup.sh) parses, and subject, sender and text body agree with Python's `email` package
/// decoding the same files, run from this test.
@Suite struct PythonCorpusTests {
    static let corpus = "/usr/lib/python3.11/test/test_email/data"

    static func files() throws -> [String] {
        let names = try FileManager.default.contentsOfDirectory(atPath: corpus).filter { $0.hasPrefix("msg_") && $0.hasSuffix(".txt") }
        return names.sorted().map { corpus + "/" + $0 }
    }

    static func pythonReference(_ files: [String]) throws -> [String: [String: Any]] {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/python_reference.py").path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", script] + files
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "python3 reference script failed")
        return try JSONSerialization.jsonObject(with: data) as? [String: [String: Any]] ?? [:]
    }

    /// Python keeps folding white space inside an unstructured header; a one-line subject does not.
    static func spaces(_ s: String) -> String {
        s.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).joined(separator: " ")
    }

    @Test func everyMessageAgreesWithPython() throws {
        let files = try Self.files()
        #expect(files.count >= 40, "the corpus is missing: install libpython3.11-testsuite (scripts/setup.sh does)")
        let reference = try Self.pythonReference(files)
        var compared = (subject: 0, from: 0, body: 0)
        for path in files {
            let name = (path as NSString).lastPathComponent
            let bytes = [UInt8](FileManager.default.contents(atPath: path)!)
            let mail = MailParser.parse(bytes)
            guard let ref = reference[name] else { Issue.record("\(name): no Python result"); continue }
            if ref["subject_error"] == nil {
                let expected = (ref["subject"] as? String).map(Self.spaces) ?? ""
                #expect(Self.spaces(mail.subject) == expected, "\(name): subject")
                compared.subject += 1
            }
            if ref["from_error"] == nil {
                let addr = (ref["from_addr"] as? String).map { $0 == "<>" ? "" : $0 }
                if let addr, !addr.isEmpty, !AddrSpec.isValid(addr) {
                    // Python keeps a bare word ("foo") as an address; a reply to it would go to a local
                    // user of the host, so qdeck keeps no address and says why (issue 13, item 17).
                    #expect(mail.from?.address == "" && mail.from?.problem != nil, "\(name): from address \(addr) accepted")
                } else {
                    #expect(mail.from?.address == addr, "\(name): from address")
                }
                if let n = ref["from_name"] as? String { #expect(mail.from?.name == n, "\(name): from name") }
                compared.from += 1
            }
            if ref["body_error"] == nil, let body = ref["body"] as? String {
                #expect(mail.textSource == "text/plain", "\(name): Python found a text/plain body")
                #expect(mail.text == body, "\(name): body")
                compared.body += 1
            }
        }
        #expect(compared.subject == files.count && compared.from == files.count, "every file compared")
        #expect(compared.body >= 30)
    }
}

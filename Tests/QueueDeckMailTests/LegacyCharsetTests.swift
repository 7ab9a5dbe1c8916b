import Foundation
import Testing
@testable import QueueDeckMail

/// Python's `email` package writes messages in legacy charsets and every transfer encoding; the
/// parser reads back the same subject, sender name, body and attachment.
@Suite struct LegacyCharsetTests {
    @Test func pythonWrittenLegacyMessagesDecode() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("qdeck-legacy-\(getpid())").path
        try? FileManager.default.removeItem(atPath: dir)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/python_legacy.py").path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", script, dir]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let expected = try #require(try JSONSerialization.jsonObject(with: data) as? [String: [String: Any]])
        #expect(expected.count >= 18)
        for (file, want) in expected.sorted(by: { $0.key < $1.key }) {
            let bytes = [UInt8](try #require(FileManager.default.contents(atPath: dir + "/" + file)))
            let mail = MailParser.parse(bytes)
            #expect(mail.subject == want["subject"] as? String, "\(file): subject")
            #expect(mail.text == want["body"] as? String, "\(file): body")
            #expect(mail.from?.name == want["from_name"] as? String, "\(file): from name")
            #expect(mail.textSource == "text/plain", "\(file): text/plain preferred over html")
            #expect(mail.problems.isEmpty, "\(file): problems \(mail.problems)")
            if let att = want["attachment"] as? [Any] {
                #expect(mail.attachments.count == 1, "\(file): one attachment")
                #expect(mail.attachments.first?.name == att[0] as? String, "\(file): RFC 2231 file name")
                #expect(mail.attachments.first?.size == att[1] as? Int, "\(file): decoded size")
                #expect(mail.attachments.first?.type == "application/pdf")
            } else {
                #expect(mail.attachments.isEmpty, "\(file): no attachment")
            }
        }
    }
}

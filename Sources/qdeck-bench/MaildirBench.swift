import Foundation

/// `qdeck-bench maildir DIR N`: writes a Maildir of N realistic messages (plain and multipart,
/// quoted-printable and base64, legacy charsets, a third of them replies threading by
/// In-Reply-To, some auto-replies), imports it with the `qdeck` binary beside this one
/// (`qdeck ingest maildir`, group commit), and prints messages per second. Baseline in the same
/// run: Python's `email` package only parsing the same files (no storage at all).
enum MaildirBench {
    static func run(dir: String, n: Int) {
        let root = dir + "/qdeck-maildir-bench-\(getpid())"
        let maildir = root + "/Maildir"
        for sub in ["cur", "new", "tmp"] { try! FileManager.default.createDirectory(atPath: maildir + "/" + sub, withIntermediateDirectories: true) }
        defer { try? FileManager.default.removeItem(atPath: root) }
        var bytes = 0
        for i in 0..<n {
            let m = message(i)
            bytes += m.count
            FileManager.default.createFile(atPath: maildir + "/cur/\(1_790_000_000 + i).M\(i)P1.bench:2,S", contents: Data(m))
        }
        print("maildir: \(n) messages, \(bytes / 1024) kB, written to \(maildir)")
        let qdeck = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("qdeck").path
        let journal = root + "/desk.journal"
        let t0 = nanos()
        let (status, out) = runProgram(qdeck, ["--journal", journal, "ingest", "maildir", maildir])
        let seconds = Double(nanos() - t0) / 1e9
        print("qdeck ingest maildir: \(out.trimmingCharacters(in: .whitespacesAndNewlines)) (exit \(status))")
        let size = (try? FileManager.default.attributesOfItem(atPath: journal)[.size] as? Int) ?? 0
        print("  \(f1(seconds * 1000)) ms: \(Int(Double(n) / seconds)) messages/s, journal \(size / 1024) kB")
        let t1 = nanos()
        let script = "import email, email.policy, glob, sys\nn = 0\nfor p in glob.glob(sys.argv[1] + '/cur/*'):\n    m = email.message_from_binary_file(open(p, 'rb'), policy=email.policy.default)\n    b = m.get_body(('plain', 'html'))\n    t = b.get_content() if b is not None else ''\n    s = str(m['subject']); f = str(m['from'])\n    n += 1\nprint(n)\n"
        let (ps, pout) = runProgram("/usr/bin/env", ["python3", "-c", script, maildir])
        let pySeconds = Double(nanos() - t1) / 1e9
        print("baseline: python3 email (policy.default) parse only, no storage: \(pout.trimmingCharacters(in: .whitespacesAndNewlines)) messages (exit \(ps))")
        print("  \(f1(pySeconds * 1000)) ms: \(Int(Double(n) / pySeconds)) messages/s")
        print("qdeck import (parse + thread + store + fsync) vs Python parse only: \(f1(pySeconds / seconds))x")
    }

    static let names = ["Ilze Bērziņa", "Jonas Petraitis", "Ольга Смирнова", "Hélène Dubois", "王伟", "Zoë Brown", "Νίκος Παπαδάκης", "Anne Person"]
    static let lines = ["The invoice for November shows the wrong amount.", "I cannot log in since the update.",
                        "Where is my parcel? The tracking link does not work.", "Please cancel my subscription at the end of the month.",
                        "The app crashes when I open the settings page."]

    static func message(_ i: Int) -> [UInt8] {
        let name = names[i % names.count]
        let addr = "customer\(i % 3000)@example.org"
        let encodedName = "=?utf-8?b?" + Data(name.utf8).base64EncodedString() + "?="
        var h = "Return-Path: <\(addr)>\nFrom: \(encodedName) <\(addr)>\nTo: support@desk.example\n"
        h += "Message-ID: <bench-\(i)@example.org>\nDate: Mon, 23 Nov 2026 \(String(format: "%02d:%02d:%02d", i * 7 / 3600, i * 7 / 60 % 60, i * 7 % 60)) +0000\nMIME-Version: 1.0\n"
        let body = (0..<(3 + i % 8)).map { lines[($0 + i) % lines.count] }.joined(separator: "\n") + "\n\nKind regards,\n\(name)\n"
        if i % 3 == 1 && i > 3 {
            h += "In-Reply-To: <bench-\(i - 3)@example.org>\nReferences: <bench-\(i - 3)@example.org>\n"
        }
        if i % 50 == 7 { h += "Auto-Submitted: auto-replied\n" }
        let subject = i % 3 == 1 && i > 3 ? "Re: Question \(i - 3)" : "Question \(i): " + lines[i % lines.count]
        h += "Subject: =?utf-8?q?" + subject.utf8.map { b -> String in
            b == 0x20 ? "_" : (b < 0x80 && b != 0x3D && b != 0x3F && b != 0x5F) ? String(UnicodeScalar(b)) : String(format: "=%02X", b)
        }.joined() + "?=\n"
        switch i % 4 {
        case 0:
            return Array((h + "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n" + body).utf8)
        case 1:
            let latin = body.unicodeScalars.map { $0.value < 256 ? String(format: $0.value > 127 || $0 == "=" ? "=%02X" : "%c", $0.value) : "?" }.joined()
            return Array((h + "Content-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n\n" + latin + "\n").utf8)
        case 2:
            let b64 = Data(body.utf8).base64EncodedString(options: .lineLength76Characters)
            let html = Data(("<html><body><p>" + body.replacingOccurrences(of: "\n", with: "<br>") + "</p></body></html>").utf8).base64EncodedString(options: .lineLength76Characters)
            return Array((h + "Content-Type: multipart/alternative; boundary=\"alt-\(i)\"\n\n--alt-\(i)\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n" + b64
                + "\n--alt-\(i)\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: base64\n\n" + html + "\n--alt-\(i)--\n").utf8)
        default:
            let attachment = Data((0..<2048).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ i) }).base64EncodedString(options: .lineLength76Characters)
            return Array((h + "Content-Type: multipart/mixed; boundary=\"mix-\(i)\"\n\n--mix-\(i)\nContent-Type: text/plain; charset=utf-8\n\n" + body
                + "\n--mix-\(i)\nContent-Type: application/pdf; name=\"invoice-\(i).pdf\"\nContent-Disposition: attachment; filename=\"invoice-\(i).pdf\"\nContent-Transfer-Encoding: base64\n\n"
                + attachment + "\n--mix-\(i)--\n").utf8)
        }
    }
}

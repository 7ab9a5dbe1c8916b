import Foundation
import Testing

/// Issue 15 in the console, with the programs agents use: an attachment opened in `less` (the
/// console steps aside as for the editor) and saved; a reply written in vim whose Cc: and Attach:
/// lines the agent edits, reaching the mail system with the file and the new Cc list.
@Suite(.serialized) struct ConsoleAttachmentTmuxTests {
    static let mail = """
    From: Anne <anne@example.org>
    To: support@localhost
    Cc: boss@example.org
    Subject: Logs attached
    Message-ID: <logs-1@example.org>
    MIME-Version: 1.0
    Content-Type: multipart/mixed; boundary=b

    --b
    Content-Type: text/plain

    The log is attached.
    --b
    Content-Type: text/plain; name="server.log"
    Content-Disposition: attachment; filename="server.log"

    line one
    SECRET-LINE-42 \u{1B}[2J (an escape in the file, shown by less as less shows it)
    --b--

    """

    /// A desk with the mail in it, a sendmail that keeps what it is given, and the ticket open in a console.
    func setUp(_ s: Scratch, env: [String: String]) throws -> (Tmux, String) {
        let r = try s.qdeck("ingest", "mail", stdin: Self.mail)
        let id = try #require(r.stdout.split(separator: " ").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }, "\(r.stderr)")
        let keep = s.dir + "/keep.sh"
        try "#!/bin/sh\nprintf '%s\\n' \"$@\" > \(s.dir)/args\ncat > \(s.dir)/sent.eml\n".write(toFile: keep, atomically: true, encoding: .utf8)
        chmod(keep, 0o755)
        let t = try Tmux("\(Harness.binDir)/qdeck --journal \(s.journal)", cols: 120, rows: 40,
                         env: ["VISUAL": ConsoleEditorTmuxTests.vim, "XDG_STATE_HOME": s.dir + "/state", "QDECK_SENDMAIL": keep,
                               "TMPDIR": s.dir].merging(env) { $1 })
        try t.waitFor(id)
        try t.keys("Enter")
        try t.waitFor("📎 1 server.log")
        return (t, id)
    }

    @Test func anAttachmentOpensInTheAgentsViewerAndIsSaved() throws {
        let s = Scratch()
        let (t, id) = try setUp(s, env: ["QDECK_OPEN": "less"])
        try t.waitFor("cc boss@example.org")
        try t.keys("o")
        try t.waitFor("SECRET-LINE-42", "less shows the file")
        #expect(!(try t.screen().contains("Customer  Anne")), "the console stepped aside")
        try t.keys("q")
        try t.waitFor("opened server.log with less")
        try t.waitFor("\(id)  ")
        // Saved where the agent says, readable by the agent alone; never over an existing file.
        try t.keys(":")
        try t.text("save 1 \(s.dir)/kept.log")
        try t.keys("Enter")
        try t.waitFor("saved server.log as \(s.dir)/kept.log")
        let kept = try String(contentsOfFile: s.dir + "/kept.log", encoding: .utf8)
        #expect(kept.contains("SECRET-LINE-42") && kept.contains("\u{1B}[2J"), "byte for byte: \(kept)")
        var st = stat()
        #expect(stat(s.dir + "/kept.log", &st) == 0 && st.st_mode & 0o777 == 0o600)
        try t.keys(":")
        try t.text("save 1 \(s.dir)/kept.log")
        try t.keys("Enter")
        try t.waitFor("not saved, a file of that name exists")
        // No viewer on this machine: said, with the way out.
        try t.keys("q", "q")
    }

    @Test func aViewerThatIsMissingIsSaidWithTheWayOut() throws {
        let s = Scratch()
        let (t, _) = try setUp(s, env: ["QDECK_OPEN": "no-such-viewer-here"])
        try t.keys("o")
        try t.waitFor("no-such-viewer-here was not found (exit 127)")
        try t.keys("q", "q")
    }

    @Test func aReplyInVimChangesItsCcAndAttachesAFile() throws {
        let s = Scratch()
        let file = s.dir + "/fix.patch"
        try "--- a\n+++ b\n@@ fix @@\n".write(toFile: file, atomically: true, encoding: .utf8)
        let (t, id) = try setUp(s, env: [:])
        // A bad address first: nothing sent, the reply kept as a draft, the reason said.
        try t.keys("r")
        try t.waitFor("Attach: ")
        try t.typeInVim("Here is the fix.", save: ":%s/^Cc:.*/Cc: boss@example.org, not an address/|wq")
        try t.waitFor("Cc: 'not an address'", within: 5)
        #expect(try s.qdeck("show", id).stdout.contains("reply by") == false)
        // The draft reopens with the lines as the agent left them; fixed, it goes.
        try t.keys("r")
        try t.waitFor("not an address")
        try t.text(":%s/^Cc:.*/Cc: boss@example.org, it@example.net/")
        try t.keys("Enter")
        try t.text(":%s#^Attach: *$#Attach: \(file)#")
        try t.keys("Enter")
        try t.text(":wq")
        try t.keys("Enter")
        try t.waitFor("reply saved, mail on its way")
        #expect(try Harness.eventually(within: 5) { FileManager.default.fileExists(atPath: s.dir + "/sent.eml") })
        #expect(try Harness.eventually(within: 5) { ((try? String(contentsOfFile: s.dir + "/args", encoding: .utf8)) ?? "").contains("it@example.net") })
        let args = try String(contentsOfFile: s.dir + "/args", encoding: .utf8)
        #expect(args.hasSuffix("--\nanne@example.org\nboss@example.org\nit@example.net\n"), "\(args)")
        let sent = try String(contentsOfFile: s.dir + "/sent.eml", encoding: .utf8)
        #expect(sent.contains("Cc: boss@example.org,\n it@example.net"), "\(sent)")
        #expect(sent.contains("filename=\"fix.patch\"") && sent.contains("Here is the fix."))
        #expect(!sent.contains("Attach:") && !sent.contains("To: Anne <anne@example.org>\n\n"), "the lines are not part of the text")
        let shown = try s.qdeck("show", id).stdout
        #expect(shown.contains("cc boss@example.org, it@example.net"), "\(shown)")
        #expect(shown.contains("📎 2 fix.patch"), "\(shown)")
        try t.keys("q", "q")
    }
}

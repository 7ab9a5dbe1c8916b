import Foundation
import QueueDeckDomain
import Testing
@testable import QueueDeckConsole

/// The pieces of writing: the text field, the reply template, the draft store.
@Suite struct ComposeTests {
    @Test func textFieldEditsAtTheCursor() {
        var f = TextField("Hello there friend")
        f.deleteWordBack()
        #expect(f.text == "Hello there ")
        f.deleteWordBack()
        #expect(f.text == "Hello ")
        f.insert("big\nworld")
        f.home()
        f.insert("new ")
        #expect(f.text == "Hello big\nnew world")
        f.up(width: 80)
        #expect(f.cursor == 4)  // same column on the line above
        f.end()
        f.insert("!")
        #expect(f.text == "Hello big!\nnew world")
        f.down(width: 80)
        f.deleteToLineStart()
        #expect(f.text == "Hello big!\n")
        f.backspace()
        f.backspace()
        #expect(f.text == "Hello big")
        f.left(); f.left(); f.left()
        f.deleteForward()
        #expect(f.text == "Hello ig")
        #expect(!f.isBlank)
        #expect(TextField(" \n ").isBlank)
    }

    /// Typed one scalar at a time, as a terminal sends them: an accent joins its letter, an emoji
    /// with a skin tone is one character, so the cursor never lands inside one.
    @Test func textFieldKeepsWholeCharactersAndDropsControls() {
        var f = TextField()
        for s in "cafe\u{301}".unicodeScalars { f.insert(String(s)) }
        #expect(f.characters.count == 4)
        f.left()
        f.insert("Y")
        #expect(f.text == "cafY" + "e\u{301}")
        var e = TextField()
        for s in "ab 👍🏽 日本".unicodeScalars { e.insert(String(s)) }
        #expect(e.characters.count == 7)
        e.left(); e.left()
        e.insert("X")
        #expect(e.text == "ab 👍🏽 X日本")
        #expect(e.layout(width: 40).cursorCol == 7)  // a, b, space, the emoji (2 columns), space, X
        var p = TextField()
        p.insert("one\u{1B}[2J\u{07}\ttwo\nthree\u{9B}")
        #expect(p.text == "one[2J    two\nthree")  // a tab becomes spaces: seen as sent
    }

    @Test func upAndDownMoveByScreenRow() {
        var f = TextField("The quick brown fox jumps over the lazy dog")
        // Rows at width 16: "The quick ", "brown fox ", "jumps over the ", "lazy dog".
        f.up(width: 16)
        #expect(f.layout(width: 16).cursorRow == 2 && f.layout(width: 16).cursorCol == 8)
        f.up(width: 16)
        f.up(width: 16)
        #expect(f.layout(width: 16).cursorRow == 0)
        f.up(width: 16)
        #expect(f.cursor == 0)
        f.down(width: 16)
        #expect(f.layout(width: 16).cursorRow == 1 && f.layout(width: 16).cursorCol == 0)
        for _ in 0..<3 { f.down(width: 16) }
        #expect(f.cursor == f.characters.count)
    }

    @Test func textFieldWrapsByDisplayWidthAndFollowsTheCursor() {
        let f = TextField("The quick brown fox jumps over the lazy dog")
        let l = f.layout(width: 16)
        #expect(l.lines == ["The quick ", "brown fox ", "jumps over the ", "lazy dog"])
        #expect(l.cursorRow == 3 && l.cursorCol == 8)
        let cjk = TextField("日本語のテキスト")  // 2 columns each
        #expect(cjk.layout(width: 9).lines.allSatisfy { DisplayWidthProbe.of($0) <= 8 })
        var mid = TextField("aaaa bbbb cccc")
        for _ in 0..<6 { mid.left() }  // index 8: the last "b"
        let m = mid.layout(width: 8)
        #expect(m.lines == ["aaaa ", "bbbb ", "cccc"])
        #expect(m.cursorRow == 1 && m.cursorCol == 3)
    }

    @Test func templateQuotesSanitisesAndIsCutAtTheScissors() {
        let f = ConsoleFixture()
        let id = f.ticket(.email, subject: "Broken \u{1B}[2J", customer: "Ilze Bērziņa")
        f.controller.absorb()
        let t = f.controller.state[id]!
        let quote = ReplyTemplate.quote(t) { _ in "2026-11-24 14:05" }
        #expect(quote == "\n\nOn 2026-11-24 14:05, Ilze Bērziņa wrote:\n> Body of Broken ␛[2J\n")
        let file = ReplyTemplate.file(text: quote, kind: .reply, tickets: [t], agent: f.desk.actor)
        #expect(file.contains("# Subject: Broken ␛[2J"))
        #expect(!file.contains("\u{1B}"))
        // An email reply ends with the recipients and a line for files, just above the scissors.
        let parts = ReplyTemplate.fields(of: ReplyTemplate.body(of: file))
        #expect(parts.text == "On 2026-11-24 14:05, Ilze Bērziņa wrote:\n> Body of Broken ␛[2J")
        #expect(parts.fields.map { "\($0.name)=\($0.value)" } == ["to=Ilze Bērziņa <\(t.customer.email!)>", "cc=", "attach="])
        #expect(ReplyTemplate.fields(of: ReplyTemplate.body(of: "Thanks!\n\n" + file)).text == "Thanks!\n\n\n\nOn 2026-11-24 14:05, Ilze Bērziņa wrote:\n> Body of Broken ␛[2J")
        // A draft that has them already is not given a second set.
        #expect(ReplyTemplate.file(text: ReplyTemplate.body(of: file), kind: .reply, tickets: [t], agent: f.desk.actor).components(separatedBy: "\nTo: ").count == 2)
        // A note has none.
        #expect(!ReplyTemplate.file(text: "", kind: .note, tickets: [t], agent: f.desk.actor).contains("\nTo: "))
        #expect(ReplyTemplate.body(of: "  \n\n" + ReplyTemplate.scissors + "\nanything") == "")
        #expect(ReplyTemplate.body(of: "no scissors at all\n") == "no scissors at all")
    }

    @Test func draftsArePrivateWholeAndRefuseAStrangersFolder() throws {
        let dir = NSTemporaryDirectory() + "qdeck-drafts-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try DraftStore(directory: dir + "/a/b")
        var st = stat()
        #expect(stat(dir + "/a/b", &st) == 0 && st.st_mode & 0o777 == 0o700)
        var rng = SystemRandomNumberGenerator()
        let id = TicketID.random(using: &rng)
        try store.save("first text", agent: "anna", ticket: id, kind: .reply)
        try store.save("second text", agent: "anna", ticket: id, kind: .reply)
        #expect(store.load(agent: "anna", ticket: id, kind: .reply) == "second text")
        #expect(store.load(agent: "anna", ticket: id, kind: .note) == nil)
        #expect(store.load(agent: "bob", ticket: id, kind: .reply) == nil)
        #expect(stat(store.path(agent: "anna", ticket: id, kind: .reply), &st) == 0 && st.st_mode & 0o777 == 0o600)
        #expect(store.tickets(agent: "anna") == [id])
        // A planted symlink is not followed when reading.
        symlink("/etc/passwd", store.path(agent: "mallory", ticket: id, kind: .reply))
        #expect(store.load(agent: "mallory", ticket: id, kind: .reply) == nil)
        store.remove(agent: "anna", ticket: id, kind: .reply)
        #expect(store.load(agent: "anna", ticket: id, kind: .reply) == nil)
        // A symlink where the folder should be is refused.
        symlink(dir + "/a", dir + "/link")
        #expect(throws: DraftError.self) { try DraftStore(directory: dir + "/link") }
    }

    @Test func pagerMovesByPageLineAndMessage() {
        var p = Pager()
        p.measure(height: 10, total: 100, messageStarts: [0, 30, 60, 85], anchor: 85)
        #expect(p.top == 85)  // the newest message's start
        p.move(.pageUp)
        #expect(p.top == 76)
        p.move(.previousMessage)
        #expect(p.top == 60)
        p.move(.previousMessage)
        #expect(p.top == 30)
        p.move(.nextMessage)
        #expect(p.top == 60)
        p.move(.start)
        #expect(p.top == 0)
        p.move(.lineUp)
        #expect(p.top == 0)
        p.move(.pageDown)
        #expect(p.top == 9)
        p.move(.end)
        p.measure(height: 10, total: 120, messageStarts: [0, 30, 60, 85, 100], anchor: 105)
        #expect(p.top == 105)  // following the newest
    }
}

/// The console's width rule, for assertions.
enum DisplayWidthProbe {
    static func of(_ s: String) -> Int { s.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x3000 ? 2 : 1) } }
}

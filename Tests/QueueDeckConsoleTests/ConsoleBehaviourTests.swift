import Foundation
import QueueDeckDomain
import Testing
@testable import QueueDeckConsole

@Suite struct ConsoleBehaviourTests {
    @Test func queuesFilterAndSort() {
        let f = ConsoleFixture()
        let a = f.ticket(.email, subject: "Invoice missing", minutesAgo: 90)
        let b = f.ticket(.chat, subject: "Login broken", minutesAgo: 60, priority: .urgent)
        let c = f.ticket(.call, subject: "Where is my parcel", customer: "Rūta Kazlauskienė", minutesAgo: 30)
        f.controller.absorb()
        #expect(Set(f.controller.rows) == [a, b, c])
        f.keys(.char("4"))
        #expect(f.controller.rows == [b])
        f.keys(.tab)
        #expect(f.controller.queue == nil)
        f.keys(.char("2"))
        #expect(f.controller.rows == [a])
        f.keys(.char("1"), .char("/"))
        f.type("kazlausk")
        #expect(f.controller.rows == [c])
        f.keys(.backspace, .backspace, .backspace, .backspace, .backspace, .backspace, .backspace, .backspace)
        #expect(f.controller.rows.count == 3)
        f.type("channel:email,chat")
        f.keys(.enter)
        #expect(Set(f.controller.rows) == [a, b])
        f.keys(.escape)
        #expect(f.controller.filterText.isEmpty)
        // s cycles all six orders.
        var seen: Set<String> = []
        for _ in 0..<6 { seen.insert(f.controller.order.rawValue); f.keys(.char("s")) }
        #expect(seen.count == 6)
        _ = f.controller.run(.sort, argument: "priority")
        #expect(f.controller.rows.first == b)
        _ = f.controller.run(.sort, argument: "fifo")
        #expect(f.controller.rows == [a, b, c])
    }

    @Test func actionsGoThroughTheJournal() throws {
        let f = ConsoleFixture()
        let id = f.ticket(.email, subject: "Refund please")
        f.controller.absorb()
        _ = f.controller.run(.claim, argument: nil)
        #expect(f.controller.state[id]!.assignee == "anna")
        _ = f.controller.run(.postpone, argument: "2h")
        #expect(f.controller.context.status(f.controller.state[id]!) == .postponed)
        f.keys(.char("x"))
        #expect(f.controller.state[id]!.storedStatus == .resolved)
        #expect(f.controller.rows.isEmpty)  // resolved tickets leave the working queue
        _ = f.controller.run(.filter, argument: "status:resolved")
        #expect(f.controller.rows == [id])
        f.keys(.char("X"))
        #expect(f.controller.state[id]!.storedStatus == .open)
        f.keys(.escape)
        #expect(f.controller.selected == id)
        f.keys(.char("P"), .down, .enter)  // the picker lists urgent, high, ...: the second is high
        #expect(f.controller.state[id]!.priority == .high)
        f.keys(.char("t"))
        f.type("+refund +vip")
        f.keys(.enter)
        #expect(f.controller.state[id]!.tags == ["refund", "vip"])
        f.keys(.char("a"))
        f.type("bob")
        f.keys(.enter)
        f.type("technical question")
        f.keys(.enter)
        // Reassigning her own ticket needs only reassign.own, which an agent has.
        #expect(f.controller.state[id]!.assignee == "bob")
        #expect(f.controller.state[id]!.history.last!.text.contains("technical question"))
        // Everything is in the journal for everyone else.
        f.open(user: "bob")
        #expect(f.controller.state[id]!.assignee == "bob")
    }

    @Test func replyThroughTheEditorAndInlineChat() {
        let f = ConsoleFixture()
        let mail = f.ticket(.email, subject: "Mail", minutesAgo: 20)
        let chat = f.ticket(.chat, subject: "Chat", minutesAgo: 10)
        f.controller.absorb()
        _ = f.controller.run(.sort, argument: "fifo")
        #expect(f.controller.selected == mail)
        guard case .edit(let r) = f.controller.handle(.char("r")) else { Issue.record("r on email opens the editor"); return }
        // The file starts with the customer's message quoted and a comment block below the scissors.
        #expect(r.file.contains("> Body of Mail"))
        #expect(r.file.contains(ReplyTemplate.scissors))
        f.controller.finishEdit(r, edited: "   \n" + ReplyTemplate.scissors + "\n# x\n", status: 0)
        #expect(f.controller.flash!.text.contains("cancelled"))
        f.controller.finishEdit(r, edited: r.file, status: 0)
        #expect(f.controller.flash!.text.contains("nothing written"))
        f.controller.finishEdit(r, edited: "We are on it." + r.file, status: 0)
        #expect(f.controller.state[mail]!.entries.last!.body.hasPrefix("We are on it.\n\nOn "))
        #expect(f.controller.state[mail]!.entries.last!.body.contains("> Body of Mail"))
        #expect(!f.controller.state[mail]!.entries.last!.body.contains("#"))
        #expect(f.controller.context.status(f.controller.state[mail]!) == .answered)
        f.keys(.char("j"), .char("r"))
        guard case .composer = f.controller.mode else { Issue.record("r on chat opens the composer"); return }
        f.type("Hello")
        f.keys(.altEnter)
        f.type("second line")
        f.keys(.ctrl("t"), .enter)  // insert the canned response
        f.keys(.enter)
        #expect(f.controller.state[chat]!.entries.last!.body == "Hello\nsecond line Thank you!")
    }

    @Test func staleActionIsRefusedAndNothingIsLost() throws {
        let f = ConsoleFixture()
        let id = f.ticket(.email, subject: "Contested")
        f.controller.absorb()
        // Bob replies from his console; ours has not caught up yet.
        try f.external(.reply(id, body: "Bob's answer"), as: "bob")
        _ = f.controller.run(.resolve, argument: nil)
        #expect(f.controller.flash!.error)
        #expect(f.controller.flash!.text.contains("changed by bob"))
        #expect(f.controller.state[id]!.entries.last!.body == "Bob's answer")  // caught up
        #expect(f.controller.state[id]!.storedStatus == .answered)
        _ = f.controller.run(.resolve, argument: nil)  // now on the current version
        #expect(f.controller.state[id]!.storedStatus == .resolved)
    }

    @Test func liveChangesKeepSelectionAndSayWho() throws {
        let f = ConsoleFixture()
        var ids: [TicketID] = []
        for i in 0..<30 { ids.append(f.ticket(.email, subject: "Ticket \(i)", minutesAgo: Int64(300 - i))) }
        f.controller.absorb()
        _ = f.controller.run(.sort, argument: "fifo")
        _ = f.screen(24, 160)
        for _ in 0..<12 { f.keys(.char("j")) }
        f.keys(.enter)
        let selected = f.controller.selected!
        let rowOnScreen = f.controller.cursor - f.controller.scrollTop
        // New tickets arrive ahead of the selection (older creation times) and another agent acts on it.
        for i in 0..<3 { f.ticket(.email, subject: "Older \(i)", minutesAgo: Int64(400 + i)) }
        try f.external(.note(selected, body: "looking"), as: "bob")
        f.controller.absorb()
        #expect(f.controller.selected == selected)
        #expect(f.controller.cursor - f.controller.scrollTop == rowOnScreen)
        #expect(f.controller.flash!.text.contains("bob added a note to \(selected)"))
        #expect(f.controller.rows.count == 33)
    }

    @Test func postponedTicketWakesWithoutAKey() throws {
        let f = ConsoleFixture()
        let id = f.ticket(.email, subject: "Later")
        f.controller.absorb()
        _ = f.controller.run(.postpone, argument: "30m")
        #expect(f.screen(24, 160).find("postponed") != nil)
        f.now = f.now + .minutes(31)
        let g = f.screen(24, 160)
        let row = g.find(id.description)!.row
        #expect(g.text(row: row).contains("new"))
    }

    @Test func marksApplyTheNextActionToAll() {
        let f = ConsoleFixture()
        for i in 0..<4 { f.ticket(.email, subject: "Spam \(i)", minutesAgo: Int64(50 - i)) }
        f.controller.absorb()
        f.keys(.char(" "), .char(" "), .char(" "))
        #expect(f.controller.marked.count == 3)
        f.keys(.char("x"))
        #expect(f.controller.marked.isEmpty)
        #expect(f.controller.state.all.filter { $0.storedStatus == .resolved }.count == 3)
        #expect(f.controller.rows.count == 1)
    }

    @Test func pullNextClaimsTheFirstWaitingUnassigned() throws {
        let f = ConsoleFixture()
        let first = f.ticket(.email, subject: "Oldest", minutesAgo: 100)
        let second = f.ticket(.email, subject: "Next", minutesAgo: 50)
        try f.external(.claim(first), as: "bob")
        f.controller.absorb()
        _ = f.controller.run(.sort, argument: "fifo")
        f.keys(.char("N"))
        #expect(f.controller.state[second]!.assignee == "anna")
        #expect(f.controller.selected == second)
        #expect(f.controller.detailOpen)
    }

    @Test func commandLineCompletesAndRuns() {
        let f = ConsoleFixture()
        let id = f.ticket(.email, subject: "Cmd")
        f.controller.absorb()
        #expect(ConsoleController.completions("pos", keyMap: .agent, desk: f.desk) == ["postpone"])
        #expect(ConsoleController.completions("assign b", keyMap: .agent, desk: f.desk) == ["assign bob", "assign billing"])
        #expect(ConsoleController.completions("sort e", keyMap: .agent, desk: f.desk) == ["sort easiest"])
        f.keys(.char(":"))
        f.type("prio")
        f.keys(.tab)
        f.type("urg")
        f.keys(.tab, .enter)
        #expect(f.controller.state[id]!.priority == .urgent)
        f.keys(.char(":"))
        f.type("fly away")
        f.keys(.enter)
        #expect(f.controller.flash!.text.contains("unknown command 'fly'"))
    }

    @Test func agentSetsTheirPresenceFromTheCommandLine() {
        let f = ConsoleFixture()
        #expect(ConsoleController.completions("presence a", keyMap: .agent, desk: f.desk) == ["presence available", "presence away"])
        f.keys(.char(":"))
        f.type("presence away")
        f.keys(.enter)
        #expect(f.controller.state.presence["anna"]?.presence == .away)
        #expect(f.screen().find("anna (away)") != nil)
        f.keys(.char(":"))
        f.type("presence lunch")
        f.keys(.enter)
        #expect(f.controller.flash!.text.contains("available, away or offline"))
        f.keys(.char(":"))
        f.type("presence available")
        f.keys(.enter)
        #expect(f.screen().find("anna ·") != nil)
    }

    @Test func readOnlyKeyMapCannotChangeTickets() {
        let f = ConsoleFixture(keyMap: KeyMap.agent.readOnly)
        let id = f.ticket(.email, subject: "Look only")
        f.controller.absorb()
        for k: Character in ["x", "r", "a", "p", "n", "c", "N", "t", "P"] { _ = f.controller.handle(.char(k)) }
        _ = f.controller.run(.resolve, argument: nil)
        #expect(f.controller.state[id]!.version == 1)
    }

    @Test func damagedJournalIsShownNotHidden() throws {
        let f = ConsoleFixture()
        f.ticket(subject: "first")
        f.ticket(subject: "second")
        f.ticket(subject: "third")
        f.controller.absorb()
        #expect(f.screen(24, 120).text(row: 0).contains("● live"))
        // Two more arrive; the first of them is damaged on disk before the console reads it.
        let size = (try FileManager.default.attributesOfItem(atPath: f.path)[.size] as! NSNumber).intValue
        f.ticket(subject: "fourth")
        f.ticket(subject: "fifth")
        // In place (a new file would leave the console reading the old inode).
        let h = FileHandle(forUpdatingAtPath: f.path)!
        try h.seek(toOffset: UInt64(size + 20))
        let byte = try h.read(upToCount: 1)!
        try h.seek(toOffset: UInt64(size + 20))
        try h.write(contentsOf: Data([byte[0] ^ 0xFF]))
        try h.close()
        _ = f.controller.absorb()
        let g = f.screen(24, 120)
        #expect(g.text(row: 0).contains("journal unreadable"))
        #expect(g.find("first") != nil)  // what was read stays on screen
    }

    @Test func quitClosesTheDetailFirst() {
        let f = ConsoleFixture()
        f.ticket(subject: "x")
        f.controller.absorb()
        f.keys(.enter)
        #expect(f.controller.handle(.char("q")) == Outcome.none)
        #expect(!f.controller.detailOpen)
        #expect(f.controller.handle(.char("q")) == .quit)
    }
}

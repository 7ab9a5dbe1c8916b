import Foundation
import QueueDeckDomain
import QueueDeckJournal
import Testing
@testable import QueueDeckConsole

/// The agent's daily loop in the controller: writing without losing a word, marks, signals of new
/// work, messages that say what happened.
@Suite struct DailyLoopTests {
    func lastReply(_ f: ConsoleFixture, _ id: TicketID) -> String? {
        f.controller.state[id]!.entries.last { $0.kind == .reply }?.body
    }

    @Test func aReplyGoesOutOverChangesThatDoNotTouchTheConversation() throws {
        let f = ConsoleFixture()
        let id = f.ticket(.email, subject: "Tags meanwhile")
        f.controller.absorb()
        guard case .edit(let r) = f.controller.handle(.char("r")) else { Issue.record("r opens the editor"); return }
        try f.external(.tag(id, add: ["billing"], remove: []), as: "bob")
        try f.external(.setPriority(id, .high), as: "bob")
        try f.external(.note(id, body: "bob's note"), as: "bob")
        f.controller.finishEdit(r, edited: "Answer." + r.file, status: 0)
        #expect(lastReply(f, id)?.hasPrefix("Answer.") == true)
        #expect(f.controller.flash!.text.hasPrefix("reply saved, mail on its way: \(id)"))
        #expect(!f.controller.flash!.error)
        #expect(f.controller.drafts.isEmpty)
    }

    @Test func aCustomerMessageMeanwhileIsShownAndTheTextKept() throws {
        let f = ConsoleFixture()
        let id = f.ticket(.email, subject: "Customer meanwhile")
        f.controller.absorb()
        guard case .edit(let r) = f.controller.handle(.char("r")) else { Issue.record("r opens the editor"); return }
        try f.external(.customerMessage(id, body: "and one more thing"))
        f.controller.finishEdit(r, edited: "My careful answer." + r.file, status: 0)
        guard case .choice(let c) = f.controller.mode else { Issue.record("asks what to do"); return }
        #expect(c.question.contains("wrote on \(id)"))
        #expect(lastReply(f, id) == nil)
        #expect(f.controller.detailOpen && f.controller.selected == id)
        #expect(f.screen(30, 100).text.contains("and one more thing"))
        // Keep it: the draft is on disk and `r` opens it again, intact.
        _ = f.controller.handle(.char("k"))
        #expect(f.controller.drafts == [id])
        guard case .edit(let again) = f.controller.handle(.char("r")) else { Issue.record("r reopens the draft"); return }
        #expect(again.fromDraft)
        #expect(ReplyTemplate.body(of: again.file).hasPrefix("My careful answer."))
        f.controller.finishEdit(again, edited: again.file, status: 0, saved: false)  // :q, or ZZ on an unchanged buffer
        guard case .choice(let unsaved) = f.controller.mode else { Issue.record("asks: send as it is, keep, discard"); return }
        #expect(unsaved.options.map(\.key) == ["s", "k", "d"])
        f.keys(.char("k"))
        #expect(f.controller.flash!.text.contains("kept as a draft"))
        // Now seen: sending goes through, and the draft is gone.
        f.controller.finishEdit(again, edited: "Both answered. " + again.file, status: 0)
        #expect(lastReply(f, id)?.hasPrefix("Both answered. My careful answer.") == true)
        #expect(f.desk.drafts!.load(agent: "anna", ticket: id, kind: .reply) == nil)
    }

    /// A draft or a canned response saved unchanged is sent: the agent said so by saving.
    @Test func savingADraftOrCannedTextUnchangedSendsIt() throws {
        let f = ConsoleFixture()
        let id = f.ticket(.email, subject: "Canned as is", customer: "Ilze Bērziņa")
        f.controller.absorb()
        guard case .edit(let r) = f.controller.run(.canned, argument: "greet") else { Issue.record("editor"); return }
        #expect(ReplyTemplate.body(of: r.file).hasPrefix("Thank you, Ilze!\n\nOn "))  // then the quote
        // ZZ on the unchanged text writes nothing: the console asks, and `s` sends it.
        f.controller.finishEdit(r, edited: r.file, status: 0, saved: false)
        #expect(lastReply(f, id) == nil)
        f.keys(.char("s"))
        #expect(lastReply(f, id)?.hasPrefix("Thank you, Ilze!") == true)
        // :wq on the unchanged text sends it at once.
        guard case .edit(let r2) = f.controller.run(.canned, argument: "thanks") else { Issue.record("the console did not get there: \(f.controller.mode)"); return }
        f.controller.finishEdit(r2, edited: r2.file, status: 0, saved: true)
        #expect(lastReply(f, id)?.hasPrefix("Thank you!") == true)
    }

    @Test func sendAnywayAndAnEditorThatFailsKeepsTheText() throws {
        let f = ConsoleFixture()
        let id = f.ticket(.email, subject: "Send anyway")
        f.controller.absorb()
        guard case .edit(let r) = f.controller.handle(.char("r")) else { Issue.record("the console did not get there: \(f.controller.mode)"); return }
        // Saved, then the editor exits 1 (:cq): kept as a draft.
        f.controller.finishEdit(r, edited: "Saved text." + r.file, status: 1)
        #expect(f.controller.flash!.text.contains("kept as a draft"))
        #expect(f.desk.drafts!.load(agent: "anna", ticket: id, kind: .reply)?.hasPrefix("Saved text.") == true)
        guard case .edit(let r2) = f.controller.handle(.char("r")) else { Issue.record("the console did not get there: \(f.controller.mode)"); return }
        try f.external(.customerMessage(id, body: "hello?"))
        f.controller.finishEdit(r2, edited: "Sent anyway. " + r2.file, status: 0)
        _ = f.controller.handle(.char("s"))
        #expect(lastReply(f, id)?.hasPrefix("Sent anyway. Saved text.") == true)
    }

    @Test func chatComposerAsksOnceWhenTheCustomerWroteAndSaysSoWhereTheAgentLooks() throws {
        let f = ConsoleFixture()
        let id = f.ticket(.chat, subject: "Live chat")
        f.controller.absorb()
        f.keys(.char("r"))
        f.type("Checking now")
        try f.external(.customerMessage(id, body: "are you there?"))
        f.keys(.enter)
        guard case .composer(let c) = f.controller.mode else { Issue.record("still composing"); return }
        #expect(c.notice?.contains("wrote meanwhile") == true)
        #expect(f.screen(24, 80).text.contains("wrote meanwhile"))
        #expect(lastReply(f, id) == nil)
        f.keys(.enter)
        #expect(lastReply(f, id) == "Checking now")
    }

    @Test func composerPasteCannedAndLeaving() throws {
        let f = ConsoleFixture()
        let id = f.ticket(.chat, subject: "Paste", customer: "Jānis Kalniņš")
        f.controller.absorb()
        f.keys(.char("r"))
        _ = f.controller.handle(.paste("line one\nP line two\nx line three"))
        guard case .composer(let c) = f.controller.mode else { Issue.record("a paste stays text"); return }
        #expect(c.field.text == "line one\nP line two\nx line three")
        f.keys(.ctrl("t"), .down, .enter)  // greet: placeholders filled, not glued on
        guard case .composer(let c2) = f.controller.mode else { Issue.record("the console did not get there: \(f.controller.mode)"); return }
        #expect(c2.field.text == "line one\nP line two\nx line three Thank you, Jānis!")
        // Esc asks; `c` goes back; Esc then `k` keeps the draft; `r` brings it back.
        f.keys(.escape)
        guard case .choice = f.controller.mode else { Issue.record("Esc asks before discarding"); return }
        f.keys(.char("c"))
        guard case .composer = f.controller.mode else { Issue.record("the console did not get there: \(f.controller.mode)"); return }
        f.keys(.escape, .char("k"))
        #expect(f.desk.drafts!.load(agent: "anna", ticket: id, kind: .reply) == c2.field.text)
        f.keys(.char("r"))
        guard case .composer(let c3) = f.controller.mode else { Issue.record("the console did not get there: \(f.controller.mode)"); return }
        #expect(c3.field.text == c2.field.text)
        f.keys(.escape, .char("d"))
        #expect(f.desk.drafts!.load(agent: "anna", ticket: id, kind: .reply) == nil)
        #expect(f.controller.state[id]!.priority == .normal && lastReply(f, id) == nil)
        // A paste outside a text field runs nothing.
        _ = f.controller.handle(.paste("x"))
        #expect(f.controller.state[id]!.storedStatus == .new)
        #expect(f.controller.flash!.error)
    }

    @Test func marksReportEachTicketAndRefusalsComeFirst() throws {
        let f = ConsoleFixture()
        let a = f.ticket(.email, subject: "M1", minutesAgo: 30)
        let b = f.ticket(.email, subject: "M2", minutesAgo: 20)
        let c = f.ticket(.email, subject: "M3", minutesAgo: 10)
        try f.external(.claim(c), as: "bob")
        f.controller.absorb()
        _ = f.controller.run(.sort, argument: "fifo")
        f.keys(.char(" "), .char(" "), .char(" "))
        f.keys(.char("a"))
        // Said before the reason is asked.
        #expect(f.controller.flash!.text.contains("2 of 3 can be changed; \(c) refused: anna may only reassign"))
        guard case .picker(let p) = f.controller.mode else { Issue.record("picker"); return }
        #expect(p.targets == [a, b])
        f.type("technical")
        f.keys(.enter, .enter)
        #expect(f.controller.flash!.text.hasPrefix("2 of 3 reassigned to technical; \(c) refused: anna may only reassign"))
        #expect(f.controller.state[a]!.department == "technical" && f.controller.state[b]!.department == "technical")
        #expect(f.controller.state[c]!.assignee == "bob")
        #expect(f.controller.marked == [c])  // the refused one stays marked
        // Reply and note to several: each ticket gets the text, placeholders per ticket.
        f.keys(.escape)
        f.keys(.char("g"), .char(" "), .char(" "))
        guard case .edit(let r) = f.controller.handle(.char("r")) else { Issue.record("editor for marked"); return }
        #expect(r.tickets == [a, b])
        #expect(r.file.contains("to 2 tickets"))
        f.controller.finishEdit(r, edited: "Hello {ticket}" + r.file, status: 0)
        #expect(lastReply(f, a) == "Hello \(a)")
        #expect(lastReply(f, b) == "Hello \(b)")
        #expect(f.controller.flash!.text == "reply saved, mail on its way to 2 tickets")
    }

    @Test func nextTakesMyDepartmentsAndPassesOverALostRace() throws {
        let f = ConsoleFixture()
        let technical = try f.external(.create(TicketOpening(channel: .email, customer: Customer(name: "T"), subject: "tech", body: "b",
                                                             department: "technical")), at: f.now - .minutes(90))[0].event.ticket
        let taken = try f.external(.create(TicketOpening(channel: .email, customer: Customer(name: "A"), subject: "billing 1", body: "b",
                                                         department: "billing")), at: f.now - .minutes(60))[0].event.ticket
        let mine = try f.external(.create(TicketOpening(channel: .email, customer: Customer(name: "B"), subject: "billing 2", body: "b",
                                                        department: "billing")), at: f.now - .minutes(30))[0].event.ticket
        f.controller.absorb()
        _ = f.controller.run(.sort, argument: "fifo")
        try f.external(.claim(taken), as: "bob")  // bob is faster; the console has not seen it yet
        f.keys(.char("N"))
        #expect(f.controller.state[mine]!.assignee == "anna")
        #expect(f.controller.state[technical]!.assignee == nil)  // not anna's department
        #expect(f.controller.flash!.text.hasPrefix("claimed \(mine), new, billing, yours, SLA"))
    }

    @Test func unreadMarkersAndTheBell() throws {
        let f = ConsoleFixture()
        let mine = f.ticket(.email, subject: "Mine")
        f.controller.absorb()
        _ = f.controller.run(.claim, argument: nil)
        #expect(!f.controller.bellPending)
        try f.external(.customerMessage(mine, body: "any news?"))
        f.controller.absorb()
        #expect(f.controller.unread.contains(mine))
        #expect(f.controller.bellPending)
        #expect(f.screen(24, 120).text.contains("1 unread •"))
        f.controller.bellPending = false
        let mail = f.ticket(.email, subject: "New mail")
        f.controller.absorb()
        #expect(f.controller.unread.contains(mail) && !f.controller.bellPending)  // new mail: marked, no bell
        _ = f.ticket(.chat, subject: "New chat")
        f.controller.absorb()
        #expect(f.controller.bellPending)  // a new chat rings
        // Opening clears the marker.
        _ = f.controller.run(.filter, argument: "Mine")
        f.keys(.enter)
        #expect(!f.controller.unread.contains(mine))
    }

    @Test func tabsCountTheListAndSortGoesToTheTop() throws {
        let f = ConsoleFixture()
        for i in 0..<5 { f.ticket(.email, subject: "mail \(i)", minutesAgo: Int64(100 - i)) }
        for i in 0..<3 { f.ticket(.chat, subject: "chat \(i)", minutesAgo: Int64(50 - i)) }
        let answered = f.ticket(.email, subject: "mail answered", minutesAgo: 5)
        try f.external(.reply(answered, body: "done"), as: "bob")
        f.controller.absorb()
        func tabs() -> String { f.screen(24, 120).text(row: 0) }
        #expect(tabs().contains("1 All 9") && tabs().contains("2 Email 6") && tabs().contains("4 Chat 3"))
        #expect(f.screen(24, 120).text(row: 1).hasPrefix("9 tickets · 8 waiting · 9 unread"))
        _ = f.controller.run(.filter, argument: "chat")
        #expect(tabs().contains("1 All 3") && tabs().contains("2 Email 0"))
        f.keys(.char("4"))
        #expect(f.controller.rows.count == 3)
        // A new order starts at its top, whatever was selected.
        f.keys(.char("j"), .char("j"))
        f.keys(.char("s"))
        #expect(f.controller.cursor == 0 && f.controller.scrollTop == 0)
    }

    @Test func aTicketThatLeavesTheViewIsNamed() throws {
        let f = ConsoleFixture()
        let id = f.ticket(.email, subject: "Going away")
        f.controller.absorb()
        f.keys(.enter)
        try f.external(.resolve(id), as: "bob")
        f.controller.absorb()
        #expect(f.controller.flash!.text == "\(id) left this view: bob resolved it (its pane closed)")
        #expect(!f.controller.detailOpen)
    }

    @Test func commandLineCompletesFieldsAndValuesAndListsChoices() {
        let f = ConsoleFixture()
        f.keys(.char(":"))
        f.type("filter chan")
        f.keys(.tab)
        guard case .command(let t) = f.controller.mode else { Issue.record("the console did not get there: \(f.controller.mode)"); return }
        #expect(t == "filter channel:")  // no space: the value comes next
        f.type("e")
        f.keys(.tab)
        guard case .command(let t2) = f.controller.mode else { Issue.record("the console did not get there: \(f.controller.mode)"); return }
        #expect(t2 == "filter channel:email ")
        #expect(ConsoleController.completions("filter status:open,an", keyMap: .agent, desk: f.desk) == ["filter status:open,answered"])
        #expect(ConsoleController.completions("filter -chan", keyMap: .agent, desk: f.desk) == ["filter -channel:"])
        #expect(ConsoleController.completions("filter -channel:c", keyMap: .agent, desk: f.desk) == ["filter -channel:call", "filter -channel:chat"])
        f.keys(.escape, .char(":"))
        f.type("s")
        f.keys(.tab)
        #expect(f.controller.completionChoices == ["sort", "save", "scroll-down", "scroll-up"])  // not the composer's "send"
        #expect(f.screen(24, 120).text.contains("sort  save  scroll-down  scroll-up"))
    }

    @Test func theSelectedRowStaysInViewWhenTheDetailOpensAt80x24() {
        let f = ConsoleFixture()
        for i in 0..<40 { f.ticket(.email, subject: "row \(i)", minutesAgo: Int64(400 - i)) }
        f.controller.absorb()
        _ = f.controller.run(.sort, argument: "fifo")
        _ = f.screen(24, 80)
        for _ in 0..<15 { f.keys(.char("j")) }
        f.keys(.enter)
        let g = f.screen(24, 80)
        let sel = f.controller.selected!.description
        #expect(g.find(sel) != nil && g.find(sel)!.row < 12, "the selected row is in the list part")
        // At 120 columns the list keeps its columns beside an open ticket.
        let wide = f.screen(40, 120)
        for title in ["STATUS", "PRIO", "SLA", "ASSIGNEE"] { #expect(wide.text(row: 2).contains(title)) }
    }

    @Test func unreadMarkersSurviveARestart() throws {
        let f = ConsoleFixture()
        let seenBefore = f.ticket(.email, subject: "Unread before")
        let other = f.ticket(.email, subject: "Quiet")
        f.controller.absorb()
        #expect(f.controller.unread == [seenBefore, other])
        _ = f.controller.run(.filter, argument: "Quiet")
        f.keys(.enter)  // opened: read
        f.controller.persistUnread(force: true)
        // While the console is closed, the customer writes on the quiet one.
        try f.external(.customerMessage(other, body: "hello again"), at: f.now + .minutes(5))
        f.now = f.now + .minutes(10)
        f.open(user: "anna")
        #expect(f.controller.unread == [seenBefore, other])
    }

    /// The mail of a reply that could not be handed over is said on the flash line, not only in the
    /// history ("reply sent" once hid a failed mail).
    @Test func aFailedMailIsSaidWhereTheAgentLooks() throws {
        let f = ConsoleFixture()
        let id = f.ticket(.email, subject: "Mail fails")
        f.controller.absorb()
        _ = f.controller.run(.reply, argument: "On it")
        #expect(f.controller.flash!.text.hasPrefix("reply saved, mail on its way: \(id)"))
        let messageID = f.controller.state.outgoing.values.first { $0.ticket == id }!.messageID
        try f.external(.recordDelivery(id, messageID: messageID, .handing), as: "anna")
        try f.external(.recordDelivery(id, messageID: messageID, .failed("/bin/false exited with status 1")), as: "anna")
        f.controller.absorb()
        #expect(f.controller.flash!.error)
        #expect(f.controller.flash!.text.contains("NOT sent: /bin/false exited with status 1"))
    }

    /// A picker or prompt acts on the version the agent saw when it opened: a teammate's change
    /// meanwhile refuses it instead of being overwritten.
    @Test func aChangeWhileAPromptIsOpenRefusesTheAction() throws {
        let f = ConsoleFixture()
        let id = f.ticket(.email, subject: "Priority race")
        f.controller.absorb()
        f.keys(.char("P"))
        try f.external(.setPriority(id, .high), as: "bob")
        f.controller.absorb()
        f.keys(.down, .down, .enter)  // urgent, high, normal: normal
        #expect(f.controller.state[id]!.priority == .high)
        #expect(f.controller.flash!.error && f.controller.flash!.text.contains("changed by bob"))
    }

    /// The agent's own events in between (the mail of their reply handed over in the background) do
    /// not refuse a prompt's action: under load, a reassign right after a reply was once refused.
    @Test func ownBackgroundEventsDoNotRefuseAPrompt() throws {
        let f = ConsoleFixture()
        let id = f.ticket(.email, subject: "Own events")
        f.controller.absorb()
        _ = f.controller.run(.reply, argument: "Done")
        f.keys(.char("a"))
        let messageID = f.controller.state.outgoing.values.first { $0.ticket == id }!.messageID
        try f.external(.recordDelivery(id, messageID: messageID, .handing), as: "anna")
        try f.external(.recordDelivery(id, messageID: messageID, .sent), as: "anna")
        f.type("technical")
        f.keys(.enter, .enter)
        #expect(f.controller.state[id]!.department == "technical", "\(f.controller.flash?.text ?? "")")
    }

    /// The detail pane never shows another ticket than the one being read or answered.
    @Test func theOpenTicketNeverChangesUnderTheAgent() throws {
        let f = ConsoleFixture()
        let chat = f.ticket(.chat, subject: "Being answered", minutesAgo: 20)
        let next = f.ticket(.chat, subject: "The next one", minutesAgo: 10)
        f.controller.absorb()
        _ = f.controller.run(.sort, argument: "fifo")
        f.keys(.enter, .char("r"))
        f.type("Hello")
        try f.external(.claim(chat), as: "bob")  // leaves nothing, but changes hands
        try f.external(.resolve(chat), as: "bob")  // leaves the working queue
        f.controller.absorb()
        #expect(f.controller.detailTicket?.id == chat)  // still the composer's ticket
        #expect(f.screen(30, 100).text.contains("Being answered"))
        guard case .composer(let c) = f.controller.mode else { Issue.record("still composing"); return }
        #expect(c.notice?.hasPrefix("\(chat): bob resolved it meanwhile") == true)
        _ = next
    }
}

import Foundation
import Testing

/// Issue 15: the contact directory from the command line and the console: a VIP set on an existing
/// customer moves their open ticket up `list --sort value` and tightens its SLA; a caller and an
/// emailer merge into one card; a new call from the number is theirs.
@Suite struct ContactCLITests {
    @Test(arguments: JournalKind.available) func vipSetOnAContactReordersTheValueQueueAndMergeJoinsCallerAndEmailer(kind: JournalKind) throws {
        let s = Scratch(kind)
        let bob = try s.newTicket(subject: "Bob's question", customer: "Bob <bob@x.org>")
        let anne = try s.newTicket(subject: "Invoice", customer: "Anne Kalniņa <anne@example.org>")
        let call = try s.newTicket("call", subject: "Call", customer: "Caller", extra: ["--phone", "+371 2000 0001"])
        func order() throws -> [String] { (try s.json("list", "--sort", "value") as! [[String: Any]]).map { $0["id"] as! String } }
        func due(_ id: String) throws -> String { ((try s.json("show", id) as! [String: Any])["sla"] as! [String: Any])["dueAt"] as? String ?? "" }
        let before = try order()
        #expect(before.firstIndex(of: bob)! < before.firstIndex(of: anne)!)
        let slaBefore = try due(anne)

        let set = try s.qdeck("contact", "set", "anne@example.org", "--group", "+vip", "--name", "Anne Kalniņa K.")
        #expect(set.status == 0 && set.stdout.contains("contact Anne Kalniņa K.: anne@example.org [vip]") && set.stdout.contains("\(anne) customer card updated"), "\(set.stdout) \(set.stderr)")
        #expect(try order().first == anne, "the VIP goes first by customer value")
        let slaAfter = try due(anne)
        #expect(slaAfter < slaBefore, "the VIP target applies from now: \(slaAfter) vs \(slaBefore)")
        #expect(try s.qdeck("show", anne).stdout.contains("customer card: name Anne Kalniņa → Anne Kalniņa K., groups +vip (contact edited)"))

        let merged = try s.qdeck("contact", "merge", "anne@example.org", "+371 2000 0001")
        #expect(merged.status == 0 && merged.stdout.contains("(merged tel:37120000001)"), "\(merged.stdout) \(merged.stderr)")
        let list = try s.json("contact", "list") as! [[String: Any]]
        #expect(list.count == 2)
        let card = try #require(list.first { $0["key"] as? String == "anne@example.org" })
        #expect(card["phones"] as? [String] == ["+371 2000 0001"] && card["groups"] as? [String] == ["vip"])
        #expect((card["tickets"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [anne, call])
        let shown = try s.qdeck("contact", "show", "0037120000001")
        #expect(shown.stdout.hasPrefix("Anne Kalniņa K.  [VIP]") && shown.stdout.contains(call), "\(shown.stdout)")
        #expect(try s.qdeck("contact", "list", "group:vip").stdout.split(separator: "\n").count == 1)

        // Said by name, nothing stored: a group the desk lacks, an address another contact has.
        let typo = try s.qdeck("contact", "set", "anne@example.org", "--group", "+vipp")
        #expect(typo.status != 0 && typo.stderr.contains("not a contact group of this desk"), "\(typo.stderr)")
        let taken = try s.qdeck("contact", "set", "anne@example.org", "--email", "bob@x.org")
        #expect(taken.status != 0 && taken.stderr.contains("merge the two instead"), "\(taken.stderr)")
        // As a review found: the last word on a group wins, and a search ignores accents and case.
        _ = try s.qdeck("contact", "set", "anne@example.org", "--group", "-vip", "--group", "+vip")
        #expect(try s.qdeck("contact", "set", "anne@example.org", "--group", "+paying -vip").status == 0)
        #expect(try s.qdeck("contact", "show", "anne@example.org").stdout.hasPrefix("Anne Kalniņa K.  [PAYING]"))
        _ = try s.qdeck("contact", "set", "anne@example.org", "--group", "-paying", "--group", "+vip")
        #expect(try s.qdeck("contact", "show", "anne@example.org").stdout.contains("[VIP]"))
        #expect(try s.qdeck("contact", "list", "KALNINA").stdout.contains("Anne Kalniņa K."), "accents and case ignored")
        let bad = try s.qdeck("contact", "set", "anne@example.org", "--group", "vip")
        #expect(bad.status == 64 && bad.stderr.contains("+NAME"), "\(bad.stderr)")
    }

    @Test(arguments: JournalKind.available) func theConsoleSetsAGroupOnTheCustomersCard(kind: JournalKind) throws {
        let s = Scratch(kind)
        let id = try s.newTicket(subject: "From the console", customer: "Ilze Bērziņa <ilze@inbox.lv>")
        let t = try Tmux("\(Harness.binDir)/qdeck --journal '\(s.journal)'", cols: 100, rows: 30)
        try t.waitFor(id)
        try t.keys("Enter")
        try t.waitFor("Customer")
        try t.keys(":")
        try t.text("contact group +vip")
        try t.keys("Enter")
        try t.waitFor("contact Ilze Bērziņa updated [vip]; 1 open ticket follow")
        try t.waitFor("Ilze Bērziņa  [VIP]")
        #expect(((try s.json("show", id) as! [String: Any])["customer"] as! [String: Any])["groups"] as? [String] == ["vip"])
        try t.keys(":")
        try t.text("contact group +vipp")
        try t.keys("Enter")
        try t.waitFor("not a contact group of this desk")
        try t.keys("q", "q")
    }
}

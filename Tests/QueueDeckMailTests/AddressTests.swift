import Testing
@testable import QueueDeckMail

/// Issue 13, item 17: one mailbox per customer, parsed as RFC 5322 writes it.
@Suite struct AddressTests {
    @Test(arguments: [
        "ilze@inbox.lv", "a.b+tag@sub.example.co.uk", "root@localhost", "\"john smith\"@example.com",
        "\"a\\\"b\"@example.com", "user@[192.0.2.1]", "jānis@piemērs.lv", "o'brien@example.ie", "x@a-b.example",
    ])
    func validAddresses(_ a: String) {
        #expect(AddrSpec.problem(a) == nil, "\(a): \(AddrSpec.problem(a) ?? "")")
    }

    @Test(arguments: [
        ("a@x.com,b@evil.com", "','"), ("a@x.com b@y.com", "a space"), ("a@b@c", "more than one @"), ("plain", "no @"),
        ("@x.com", "nothing before"), ("a@", "nothing after"), ("a..b@x.com", "two dots"), (".a@x.com", "starts or ends with a dot"),
        ("a@x.com.", "starts or ends with a dot"), ("e\u{1B}[31m@x.com", "U+1B"), ("a\u{0}@x.com", "U+0"), ("a@x\u{202E}moc.com", "U+202E"),
        ("\"open@x.com", "unclosed quote"), ("a\"b\"@x.com", "holds"), ("a@[1.2.3.4", "literal"), ("a@x;b@y", "';'"),
        (String(repeating: "a", count: 65) + "@x.com", "longer than 64"), ("a@" + String(repeating: "b", count: 260), "254"),
    ])
    func invalidAddresses(_ a: String, _ reason: String) {
        let why = AddrSpec.problem(a)
        #expect(why?.contains(reason) == true, "\(a.debugDescription): \(why ?? "accepted")")
    }

    /// `From: <a@x.com,b@evil.com>` once became one customer whose reply went to both.
    @Test func aHeaderSmugglingASecondRecipientGivesNoAddressAndSaysWhy() {
        for header in ["Mallory <a@x.com,b@evil.com>", "<a@x.com b@evil.com>", "Esc <e\u{1B}]0;owned\u{7}@x.com>", "Nul <a\u{0}@x.com>"] {
            let boxes = MailAddress.list(header)
            #expect(boxes.count == 1, "\(header.debugDescription)")
            #expect(boxes.first?.address == "", "\(header.debugDescription) → \(boxes.first?.address ?? "")")
            #expect(boxes.first?.problem?.contains("is not one email address") == true)
        }
        let m = MailParser.parse(Array("From: Mallory <a@x.com,b@evil.com>\nSubject: hi\nMessage-ID: <m@x>\n\nbody\n".utf8))
        #expect(m.from?.address == "")
        #expect(m.from?.name == "Mallory")
        #expect(m.problems.contains { $0.hasPrefix("From: 'a@x.com,b@evil.com' is not one email address") }, "\(m.problems)")
        // Two mailboxes written as two are two: the first is the sender, the header is not merged.
        #expect(MailAddress.list("a@x.com, b@y.com").map(\.address) == ["a@x.com", "b@y.com"])
    }

    /// Found by the address fuzzer: a quoted local part keeps its spaces and commas (it lost them,
    /// and another mailbox would have been answered); the review's loose forms are refused.
    @Test func quotedLocalPartsKeepTheirSpacesAndLooseFormsAreRefused() {
        #expect(MailAddress.list("\"john smith\"@example.com").map(\.address) == ["\"john smith\"@example.com"])
        #expect(MailAddress.list("J <\"Smith, J\"@example.com>").map(\.address) == ["\"Smith, J\"@example.com"])
        for loose in ["M <a@x.com> b@evil.com", "M <a@x.com", "M <a@x.com> <b@evil.com>", "a@x.com b@y.com"] {
            let box = MailAddress.list(loose).first
            #expect(box?.address == "" && box?.problem?.contains("is not one mailbox") == true, "\(loose): \(String(describing: box))")
        }
        let m = MailParser.parse(Array("From: a@x.com, b@evil.com\nSubject: hi\n\nbody\n".utf8))
        #expect(m.problems.contains("From names 2 mailboxes; the first is taken as the sender"), "\(m.problems)")
    }
}

/// The addresses an agent types for a reply (`--cc`, the template's Cc: line).
@Suite struct RecipientTests {
    @Test func oneMailboxPerItemInOrderWithoutRepeats() throws {
        #expect(try Recipients.parse("Boss <boss@example.org>, k@example.net, BOSS@example.org", field: "Cc").get() == ["boss@example.org", "k@example.net"])
        #expect(try Recipients.parse("  none ", field: "Cc").get() == [] && (try Recipients.parse("", field: "Cc").get()) == [])
    }

    /// A review found `a@b.com Bcc: x@evil.com` read as a group, sending to x@evil.com alone.
    @Test(arguments: ["a@b.com Bcc: x@evil.com", "a@b.com\nBcc: x@evil.com", "team: a@b.com, c@d.com;", "a@b.com c@d.com", "a@b.com;c@d.com", "<a@b.com", "just words"])
    func anythingButOneMailboxPerItemIsRefusedNamingTheField(_ text: String) {
        guard case .failure(let e) = Recipients.parse(text, field: "--cc") else { Issue.record("\(text) accepted"); return }
        #expect(e.description.hasPrefix("--cc: "), "\(e)")
    }
}

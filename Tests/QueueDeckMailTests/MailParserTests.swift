import Foundation
import Testing
@testable import QueueDeckMail

@Suite struct MailParserTests {
    func parse(_ s: String) -> ParsedMail { MailParser.parse(Array(s.utf8)) }

    @Test func encodedWordsJoinAdjacentAndKeepPlainSpaces() {
        #expect(EncodedWords.decode("=?utf-8?q?J=C4=81nis?= =?utf-8?b?QsSTcnppxYbFoQ==?=") == "JānisBērziņš")
        #expect(EncodedWords.decode("Re: =?iso-8859-1?q?r=E9clamation?= urgent") == "Re: réclamation urgent")
        #expect(EncodedWords.decode("=?utf-8?q?a_b?=") == "a b")
        #expect(EncodedWords.decode("=?bogus") == "=?bogus", "malformed stays literal")
        #expect(EncodedWords.decode("=?x-unknown?q?caf=E9?=") == "café", "unknown charset degrades to windows-1252")
    }

    @Test func foldedHeadersAndMboxFromLine() {
        let m = parse("From anne@example.org Mon Nov 23 10:00:00 2026\nSubject: a long\n subject line\nFrom: \"Person, Anne\" <Anne@Example.org>\nMessage-ID: <1@x>\nIn-Reply-To: <qdeck.ABC@desk>\nReferences: <a@b>\n <c@d>\n\nhello\n")
        #expect(m.envelopeSender == "anne@example.org")
        #expect(m.subject == "a long subject line")
        #expect(m.from == MailAddress(name: "Person, Anne", address: "Anne@Example.org"))
        #expect(m.references == ["<a@b>", "<c@d>"])
        #expect(m.inReplyTo == ["<qdeck.ABC@desk>"])
        #expect(m.text == "hello\n")
    }

    @Test func htmlOnlyBecomesReadableText() {
        let m = parse("From: a@b\nContent-Type: text/html; charset=utf-8\n\n<html><head><style>p{}</style></head><body><p>Hello &amp; welcome</p><ul><li>one</li><li>two</li></ul><a href=\"https://x.example/r\">reset</a><script>alert(1)</script></body></html>")
        #expect(m.textSource == "text/html")
        #expect(m.text == "Hello & welcome\n\n• one\n• two\nreset <https://x.example/r>")
    }

    @Test func quotedPrintableSoftBreaksAndBadEscapes() {
        #expect(TransferEncoding.quotedPrintable(Array("caf=C3=A9 =\nnext =ZZ end=".utf8)[...], header: false) == Array("café next =ZZ end".utf8))
        #expect(TransferEncoding.base64(Array("aGVs\nbG8=!!".utf8)[...]) == Array("hello".utf8))
    }

    @Test func lyingCharsetDegradesGracefully() {
        // Declared us-ascii, really UTF-8; declared utf-8, really Latin-1; an unknown charset.
        #expect(parse("From: a@b\nContent-Type: text/plain; charset=us-ascii\nContent-Transfer-Encoding: 8bit\n\nRīga\n").text == "Rīga\n")
        let latin = MailParser.parse(Array("From: a@b\nContent-Type: text/plain; charset=utf-8\n\ncaf".utf8) + [0xE9, 0x0A])
        #expect(latin.text == "caf\u{FFFD}\n")
        #expect(latin.problems.contains { $0.contains("not valid") })
        let unknown = MailParser.parse(Array("From: a@b\nContent-Type: text/plain; charset=x-martian\n\nna".utf8) + [0xEF, 0x76, 0x65])
        #expect(unknown.text == "naïve")
        #expect(unknown.problems.contains { $0.contains("unknown or wrong charset") })
    }

    @Test func brokenStructureIsNamedNotFatal() {
        let m = parse("From: a@b\nContent-Type: multipart/mixed; boundary=XYZ\n\n--XYZ\nContent-Type: text/plain\n\npart one\n")
        #expect(m.text == "part one\n")
        #expect(m.problems.contains("multipart ends without its closing boundary"))
        let noBoundary = parse("From: a@b\nContent-Type: multipart/mixed\n\njust text\n")
        #expect(noBoundary.text == "just text\n")
        #expect(noBoundary.problems.contains { $0.contains("without a boundary") })
        let garbage = MailParser.parse([0xFF, 0xFE, 0x00, 0x0A, 0x0A, 0x41])
        #expect(garbage.problems.contains("no From header"))
        // Nesting beyond any real message is cut off, not recursed into.
        var deep = "From: a@b\nContent-Type: multipart/mixed; boundary=b0\n\n"
        for i in 1..<200 { deep += "--b\(i - 1)\nContent-Type: multipart/mixed; boundary=b\(i)\n\n" }
        #expect(parse(deep).problems.contains { $0.contains("nested too deep") })
    }

    @Test func realBouncesFromTheCorpusAreBounces() throws {
        // Three different MTAs' DSNs from Python's corpus, and an ordinary message.
        let dir = PythonCorpusTests.corpus
        for f in ["msg_16.txt", "msg_25.txt", "msg_43.txt"] {
            let m = MailParser.parse([UInt8](try #require(FileManager.default.contents(atPath: dir + "/" + f))))
            #expect(m.automatic == .bounce, "\(f)")
        }
        let m43 = MailParser.parse([UInt8](try #require(FileManager.default.contents(atPath: dir + "/msg_43.txt"))))
        #expect(m43.bouncedMessageIDs == ["<edab.7804f5cb8070@python.org>"], "the returned message's ID, to thread the bounce")
        #expect(m43.bounceReport?.hasPrefix("to xxxxxxx@dot.ca.gov: 5.7.1 (failed) — 550 5.7.1 Message content rejected") == true)
        #expect(m43.bounceReport?.hasSuffix("and 22 more") == true, "long reports are cut")
        let plain = MailParser.parse([UInt8](try #require(FileManager.default.contents(atPath: dir + "/msg_01.txt"))))
        #expect(plain.automatic == nil)
    }

    @Test func autoRepliesByHeader() {
        #expect(parse("From: a@b\nAuto-Submitted: auto-replied\nSubject: Out of office\n\nx").automatic == .autoReply)
        #expect(parse("From: a@b\nAuto-Submitted: no\n\nx").automatic == nil)
        #expect(parse("From: a@b\nPrecedence: bulk\n\nx").automatic == .autoReply)
        #expect(parse("From: a@b\nX-Autoreply: yes\n\nx").automatic == .autoReply)
        #expect(parse("From: a@b\nPrecedence: list\n\nx").automatic == nil, "a mailing list post is a person")
    }

    @Test func datesParse() {
        #expect(MailDate.parse("Tue, 4 Jun 2002 21:46:59 -0400") == 1_023_241_619_000)
        #expect(MailDate.parse("4 Jun 02 21:46 EDT") == 1_023_241_560_000)
        #expect(MailDate.parse("yesterday") == nil)
    }

    @Test func mboxSplitsAndUnquotes() {
        let text = "From a@b Mon Jan 1 00:00:00 2026\nSubject: one\n\n>From the start\n\nFrom c@d Mon Jan 1 00:00:01 2026\nSubject: two\n\nbody\n"
        let bytes = Array(text.utf8)
        let ranges = Mbox.messages(bytes)
        #expect(ranges.count == 2)
        let first = MailParser.parse(Mbox.unquote(bytes[ranges[0]]))
        #expect(first.subject == "one")
        #expect(first.text == "From the start\n\n")
        #expect(MailParser.parse(Mbox.unquote(bytes[ranges[1]])).subject == "two")
    }
}

@Suite struct LineEndingTests {
    /// CR, LF and CRLF all end lines: a bare-CR message once lost its subject and body.
    @Test(arguments: ["\r", "\n", "\r\n"])
    func everyLineEndingReads(_ eol: String) {
        let text = ["From: Ilze <ilze@inbox.lv>", "Subject: Line endings", "Message-ID: <le@x>", "", "First line", "second line", ""]
            .joined(separator: eol)
        let m = MailParser.parse(Array(text.utf8))
        #expect(m.subject == "Line endings")
        #expect(m.text.contains("First line") && m.text.contains("second line"), "\(m.text)")
        #expect(m.problems.contains { $0.contains("bare CR") } == (eol == "\r"), "\(m.problems)")
    }
}

/// What hostile headers and bodies decode to (their speed is `qdeck-bench hostile-input`).
@Suite struct HostileMailTests {
    @Test func entitiesAndEncodedWordsAtScale() {
        #expect(HTMLText.text("<p>" + String(repeating: "&amp;", count: 20_000) + "</p>") == String(repeating: "&", count: 20_000))
        let unterminated = String(repeating: "=?a?q?x", count: 2_000)
        #expect(EncodedWords.decode(unterminated) == unterminated)
        #expect(EncodedWords.decode(Array(repeating: "=?utf-8?q?a?=", count: 1_000).joined(separator: " ")) == String(repeating: "a", count: 1_000))
        // A word longer than any real mailer writes is left as it is, not decoded.
        let long = "=?utf-8?q?" + String(repeating: "b", count: 600) + "?="
        #expect(EncodedWords.decode(long) == long)
    }
}

import Testing
@testable import QueueDeckText

@Suite struct ScreenTextTests {
    /// No scalar that a terminal interprets as a control survives.
    func isInert(_ s: String) -> Bool {
        !s.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || (0x202A...0x202E).contains($0.value) || (0x2066...0x2069).contains($0.value) }
    }

    static let hostile: [(String, String)] = [
        ("title change (OSC)", "Hi \u{1B}]0;PWNED\u{07} there"),
        ("clear screen (CSI)", "\u{1B}[2J\u{1B}[H"),
        ("C1 CSI", "red \u{9B}31m text"),
        ("C1 OSC and ST", "\u{9D}0;x\u{9C}"),
        ("carriage return overwrite", "Refund approved\rRefund DENIED!!!"),
        ("backspaces", "paid\u{8}\u{8}\u{8}\u{8}unpaid"),
        ("bidi override", "invoice \u{202E}fdp.exe"),
        ("bidi isolates", "\u{2066}abc\u{2069}\u{2067}def\u{2068}"),
        ("DEL and NUL", "a\u{7F}b\u{0}c"),
    ]

    @Test(arguments: hostile)
    func neutralises(_ name: String, _ text: String) {
        let lines = ScreenText.lines(text)
        #expect(lines.allSatisfy(isInert), "\(name): \(lines)")
        #expect(isInert(ScreenText.line(text)))
    }

    @Test func controlsBecomeVisiblePictures() {
        #expect(ScreenText.line("\u{1B}]0;PWNED\u{07}") == "␛]0;PWNED␇")
        #expect(ScreenText.line("a\rb") == "a␍b")
        #expect(ScreenText.line("a\u{8}b") == "a␈b")
        #expect(ScreenText.line("a\u{7F}b") == "a␡b")
        #expect(ScreenText.line("a\u{9B}b") == "a\u{FFFD}b")
        #expect(ScreenText.line("ab\u{202E}cd") == "abcd")
    }

    @Test func linesAreSplitHere() {
        #expect(ScreenText.lines("one\ntwo\r\nthree") == ["one", "two", "three"])
        #expect(ScreenText.line("one\ntwo") == "one ⏎ two")
        #expect(ScreenText.lines("") == [""])
    }

    @Test func tabsExpandToColumns() {
        #expect(ScreenText.lines("a\tb") == ["a       b"])
        #expect(ScreenText.lines("abcdefgh\tx") == ["abcdefgh        x"])
        #expect(ScreenText.lines("a\tb", tabWidth: 4) == ["a   b"])
    }

    @Test func multilingualTextIsKept() {
        let s = "Bērziņš · Kazlauskienė · Иван · Γιώργος · 中文"
        #expect(ScreenText.line(s) == s)
    }

    @Test func largeSubjectStaysOneInertLine() {
        let big = String(repeating: "Ω\u{1B}[1m", count: 2500)  // 10 kB
        let line = ScreenText.line(big)
        #expect(isInert(line))
        #expect(line.unicodeScalars.count == big.unicodeScalars.count)
    }
}

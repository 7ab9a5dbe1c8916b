/// Splits an mbox file into messages: each starts at a `From ` line at the start of the file or
/// after a blank line (mboxo/mboxrd); `>From ` quoting in bodies is undone (mboxrd).
public enum Mbox {
    /// Byte ranges of each message, `From ` line included (the parser skips it).
    public static func messages(_ bytes: [UInt8]) -> [Range<Int>] {
        var starts: [Int] = []
        var i = 0
        var previousBlank = true
        let from = Array("From ".utf8)
        while i < bytes.count {
            var end = i
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            if previousBlank && bytes[i..<end].starts(with: from) { starts.append(i) }
            var contentEnd = end
            if contentEnd > i && bytes[contentEnd - 1] == 0x0D { contentEnd -= 1 }
            previousBlank = contentEnd == i
            i = end + 1
        }
        if starts.isEmpty && !bytes.isEmpty { return [0..<bytes.count] }
        return starts.enumerated().map { n, s in s..<(n + 1 < starts.count ? starts[n + 1] : bytes.count) }
    }

    /// The message's bytes with mboxrd `>From ` quoting removed.
    public static func unquote(_ slice: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(slice.count)
        var atLineStart = true
        var i = slice.startIndex
        var first = true
        while i < slice.endIndex {
            if atLineStart && !first && slice[i] == UInt8(ascii: ">") {
                var j = i
                while j < slice.endIndex && slice[j] == UInt8(ascii: ">") { j += 1 }
                if slice[j..<slice.endIndex].starts(with: Array("From ".utf8)) { i += 1 }  // drop one '>'
            }
            first = false
            let c = slice[i]
            out.append(c)
            atLineStart = c == 0x0A
            i += 1
        }
        return out
    }
}

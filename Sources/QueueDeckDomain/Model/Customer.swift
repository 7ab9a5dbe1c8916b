public struct Customer: Hashable, Sendable {
    public var name: String
    public var email: String?
    public var phone: String?
    /// Contact groups such as `vip` or `paying`; lower case.
    public var groups: [String]

    public init(name: String, email: String? = nil, phone: String? = nil, groups: [String] = []) {
        self.name = name
        self.email = email
        self.phone = phone
        self.groups = groups
    }

    /// The key that links tickets of the same customer: address, else phone, else name.
    public var contactKey: String {
        if let email, !email.isEmpty { return email.lowercased() }
        if let phone, !phone.isEmpty { return "tel:" + (Self.phoneKey(phone) ?? phone.filter { $0.isNumber || $0 == "+" }) }
        return "name:" + name.lowercased()
    }

    /// A phone number as its digits, for matching a caller to a contact: `+371 2000-0000`,
    /// `00371 20000000` and `37120000000` are one number (a local `20000000` is not: no country
    /// code to add is known). Nil under five digits: an extension, or no number at all.
    public static func phoneKey(_ raw: String) -> String? {
        // Bytes, not Characters: every ticket's contact key is made with this while a desk is folded.
        var digits: [UInt8] = []
        digits.reserveCapacity(16)
        var leadingZeros = 0, sawOther = false
        for b in raw.utf8 {
            guard b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") else {
                if b != UInt8(ascii: " ") && b != UInt8(ascii: "\t") { sawOther = true }
                continue
            }
            if b == UInt8(ascii: "0") && digits.count == leadingZeros && !sawOther && leadingZeros < 2 { leadingZeros += 1 }
            digits.append(b)
        }
        if leadingZeros == 2, digits.count > 2 { digits.removeFirst(2) }  // 00: the international prefix
        return digits.count >= 5 ? String(decoding: digits, as: UTF8.self) : nil
    }

    public var phoneKey: String? { phone.flatMap(Self.phoneKey) }
}

extension Customer {
    /// The address of `Name <address>` (or the text itself): intake writes strangers' senders so.
    public static func address(inMailbox s: String) -> String {
        guard let lt = s.lastIndex(of: "<"), let gt = s.lastIndex(of: ">"), lt < gt else { return s.contains("@") ? s : "" }
        return String(s[s.index(after: lt)..<gt])
    }
}

extension String {
    /// Without leading and trailing white space (intake and the command line use it too).
    public func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}

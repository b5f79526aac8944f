/// Makes text from a data file safe to show: no control character from a file ever reaches a
/// terminal or a table as it is.
public enum DisplayText {
    /// The replacement shown for a control character or an invalid byte.
    public static let replacement: Character = "\u{FFFD}"

    /// `text` with tabs and line breaks turned into spaces and every other control character
    /// (C0, DEL, C1) and every bidirectional control (U+202A–202E, U+2066–2069, the marks
    /// U+200E, U+200F, U+061C) replaced by U+FFFD: the one sanitiser for everything that reaches a
    /// terminal or a table — file contents, paths, arguments and error messages.
    public static func sanitized(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x09, 0x0A, 0x0D: result.append(" ")
            case _ where isControl(scalar): result.append("\u{FFFD}")
            default: result.append(scalar)
            }
        }
        return String(result)
    }

    /// `text` whole when it has at most `limit` characters, else its start and end around a note
    /// of how many characters are left out: one line of a message never carries a huge value.
    public static func capped(_ text: String, limit: Int = 2_000) -> String {
        guard text.count > limit else { return text }
        let head = limit * 2 / 3, tail = limit / 4
        return String(text.prefix(head)) + " …[\(text.count - head - tail) characters left out]… " + String(text.suffix(tail))
    }

    /// `sanitized(text)`, cut to at most `limit` characters with an ellipsis: for quoting a value in a message.
    public static func quoted(_ text: String, limit: Int = 40) -> String {
        let clean = sanitized(text)
        return "'" + (clean.count > limit ? String(clean.prefix(limit - 1)) + "…" : clean) + "'"
    }

    /// Whether `scalar` is a control character or a bidirectional control that could make text
    /// display other than it reads.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0..<0x20, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C: true
        default: false
        }
    }

    /// Decodes UTF-8 bytes; invalid sequences become U+FFFD and `valid` is false.
    public static func decode(_ bytes: UnsafeRawBufferPointer) -> (text: String, valid: Bool) {
        var ascii = true
        for byte in bytes where byte >= 0x80 { ascii = false; break }
        if ascii { return (String(decoding: bytes, as: UTF8.self), true) }
        if let text = String(validating: bytes, as: UTF8.self) { return (text, true) }
        return (String(decoding: bytes, as: UTF8.self), false)
    }
}

extension DisplayText {
    /// Whether bytes are valid UTF-8, without building a string when they are plain ASCII.
    public static func isValidUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
        for byte in bytes where byte >= 0x80 {
            return String(validating: bytes, as: UTF8.self) != nil
        }
        return true
    }
}

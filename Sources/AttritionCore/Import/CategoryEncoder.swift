/// Dictionary-encodes one categorical column while a file is read.
///
/// Values are trimmed and grouped case-insensitively; a group is shown with the first spelling
/// seen. Each distinct raw spelling is decoded once: later rows with the same bytes cost one
/// look-up in a `SpellingTable`.
struct CategoryEncoder {
    /// The label of the group for blank values.
    static let unknown = "Unknown"

    let name: String
    private var spellings = SpellingTable()
    private var spellingCode: [UInt32] = []
    private var spellingValid: [Bool] = []
    private var codeOfKey: [String: UInt32] = [:]
    private var labels: [String] = []
    private let canonical: @Sendable (String) -> String
    /// The code of every row so far.
    var codes = PackedColumn()
    /// The code of the `Unknown` group (created with the encoder, listed last).
    private(set) var unknownCode: UInt32 = 0
    /// Whether values differing only in case and spaces share a group (they do in a table). A
    /// reader of part of a file keeps them apart, so that the assembly can name each group by its
    /// first spelling in the file as a whole.
    private var groupsSpellings = true

    /// An encoder whose first groups are `presets` (in that order), with `canonical` applied to
    /// each new label (for example to spell a London borough officially).
    init(name: String, presets: [String] = [], canonical: @escaping @Sendable (String) -> String = { $0 }) {
        self.name = name
        self.canonical = canonical
        for label in presets { _ = code(forLabel: label) }
        unknownCode = code(forLabel: CategoryEncoder.unknown)
    }

    /// The same encoder, with each new spelling a group of its own.
    func keepingSpellingsApart() -> CategoryEncoder {
        var encoder = self
        encoder.groupsSpellings = false
        return encoder
    }

    /// Groups so far (Unknown and presets included).
    var groupCount: Int { labels.count }

    /// Bytes held: row codes, spellings and labels (approximately, for memory limits).
    var footprint: Int {
        codes.footprint + spellings.footprint + spellingCode.capacity * 4 + spellingValid.capacity
            + labels.reduce(0) { $0 + $1.utf8.count + 32 } * 2
    }

    /// Records `code` for the next row.
    @inline(__always)
    mutating func append(_ code: UInt32) { codes.append(code) }

    /// The code for trimmed `bytes`; blank is `Unknown`. `valid` is false when the bytes were not UTF-8.
    mutating func encode(_ bytes: UnsafeRawBufferPointer) -> (code: UInt32, valid: Bool) {
        if bytes.isEmpty { return (unknownCode, true) }
        if let id = spellings.find(bytes) { return (spellingCode[id], spellingValid[id]) }
        let (text, valid) = DisplayText.decode(bytes)
        let code = code(forLabel: text)
        _ = spellings.insert(bytes)
        spellingCode.append(code)
        spellingValid.append(valid)
        return (code, valid)
    }

    /// The code of the group `label` belongs to, creating the group if new.
    mutating func code(forLabel label: String) -> UInt32 {
        let shown = canonical(DisplayText.sanitized(label))
        let key = groupsSpellings ? CategoryKey.of(shown) : shown
        if let code = codeOfKey[key] { return code }
        let code = UInt32(labels.count)
        codeOfKey[key] = code
        labels.append(shown)
        return code
    }

    /// The label of a group code.
    func label(of code: UInt32) -> String { labels[Int(code)] }

    /// The finished column: groups no row uses are dropped, the rest put in `order` and the codes
    /// renumbered to match.
    func column(order: LabelOrder) -> DimensionColumn {
        var used = [Bool](repeating: false, count: labels.count)
        codes.forEachBlock { _, values in for code in values { used[Int(code)] = true } }
        let ranked = labels.indices.filter { used[$0] }.sorted { a, b in
            let aUnknown = UInt32(a) == unknownCode, bUnknown = UInt32(b) == unknownCode
            if aUnknown != bUnknown { return bUnknown }
            return order.precedes(a, labels[a], b, labels[b])
        }
        var newCode = [UInt32](repeating: 0, count: labels.count)
        for (position, old) in ranked.enumerated() { newCode[old] = UInt32(position) }
        let renumbered = codes.remapped(newCode)
        return DimensionColumn(name: name, labels: ranked.map { labels[$0] }, codes: renumbered)
    }
}

/// The order groups are listed in. `Unknown` always comes last.
enum LabelOrder {
    /// Alphabetical, ignoring case.
    case alphabetical
    /// Groups created first (the presets) keep their order; any later ones follow alphabetically.
    case presetsFirst(count: Int)
    /// By the first number in the label (age bands: `Under 18`, `18-24`, ..., `65+`).
    case leadingNumber

    func precedes(_ a: Int, _ labelA: String, _ b: Int, _ labelB: String) -> Bool {
        switch self {
        case .alphabetical:
            return LabelOrder.alphabetically(labelA, labelB)
        case .presetsFirst(let count):
            if a < count || b < count { return a < b }
            return LabelOrder.alphabetically(labelA, labelB)
        case .leadingNumber:
            let na = LabelOrder.firstNumber(labelA), nb = LabelOrder.firstNumber(labelB)
            if na != nb { return na < nb }
            return LabelOrder.alphabetically(labelA, labelB)
        }
    }

    private static func alphabetically(_ a: String, _ b: String) -> Bool {
        let la = a.lowercased(), lb = b.lowercased()
        return la != lb ? la < lb : a < b
    }

    /// The first run of digits; `Under N` comes before every other band.
    private static func firstNumber(_ label: String) -> Double {
        let digits = label.drop { !$0.isASCII || !$0.isNumber }.prefix { $0.isASCII && $0.isNumber }
        guard let value = Double(digits) else { return .infinity }
        return label.lowercased().hasPrefix("under") ? -1 : value
    }
}

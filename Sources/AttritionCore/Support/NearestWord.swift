/// Which of some words a mistyped one was meant to be: for `attrition sumary` and the palette's
/// `breakdwn`.
public enum NearestWord {
    /// The edits (insertions, deletions, substitutions, swaps of neighbours) that turn `a` into `b`.
    public static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a.lowercased()), b = Array(b.lowercased())
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1) }
            }
        }
        return table[a.count][b.count]
    }

    /// Whether the letters of `typed` appear in `word` in order (`brkdwn` in `breakdown`).
    public static func isAbbreviation(_ typed: String, of word: String) -> Bool {
        var letters = word.lowercased().makeIterator()
        return typed.lowercased().allSatisfy { wanted in
            while let letter = letters.next() { if letter == wanted { return true } }
            return false
        }
    }

    /// The edits a slip of the keys may make: two, or one in a word of four letters or fewer.
    static func allowedEdits(_ typed: String) -> Int { typed.count <= 4 ? 1 : 2 }

    /// Whether `typed` is within the edits a slip of the keys may make of `word`.
    public static func isNear(_ typed: String, _ word: String) -> Bool { distance(typed, word) <= allowedEdits(typed) }

    /// The word of `words` nearest `typed`, within `allowedEdits`; nil when none is that near, or
    /// two are equally near.
    public static func nearest(_ typed: String, in words: [String]) -> String? {
        let ranked = words.map { ($0, distance(typed, $0)) }.filter { $0.1 <= allowedEdits(typed) }.sorted { $0.1 < $1.1 }
        guard let best = ranked.first, ranked.dropFirst().first?.1 != best.1 else { return nil }
        return best.0
    }
}

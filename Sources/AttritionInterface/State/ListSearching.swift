import AttritionCore
import AttritionTerminal

/// `/` search on every list and table: typing moves to the first item containing the text, `n`
/// and `N` to the next and previous, round the end; Enter keeps the search, Esc drops it.
enum ListSearching {
    /// A key while the search text is being typed.
    static func type(_ state: inout AppState, _ key: Key) {
        guard var search = state.search else { return }
        switch key {
        case .enter:
            search.typing = false
            state.search = search.query.isEmpty ? nil : search
            if let summary = summary(state) { state.message = summary }
            return
        case .escape:
            state.search = nil
            return
        case .backspace:
            if !search.query.isEmpty { search.query.removeLast() }
        case let .character(char) where !char.isNewline && char.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }):
            search.query.append(char)
        default:
            return
        }
        state.search = search
        jump(&state, forward: true, skippingCurrent: false)
    }

    /// Moves to the next (or previous) item matching the search, from the highlighted one
    /// (itself included unless `skippingCurrent`), round the end of the list.
    static func jump(_ state: inout AppState, forward: Bool, skippingCurrent: Bool) {
        guard let query = state.search?.query.lowercased(), !query.isEmpty,
              let (items, current) = state.page.unit.searchItems(state), !items.isEmpty else { return }
        let count = items.count
        let offsets = skippingCurrent ? Array(1...count) : Array(0..<count)
        for offset in offsets {
            let index = ((current + (forward ? offset : -offset)) % count + count) % count
            if items[index].lowercased().contains(query) {
                state.page.unit.select(&state, item: index)
                if !(state.search?.typing ?? false) { state.message = summary(state) }
                return
            }
        }
        state.message = "No \(DisplayText.sanitized(state.search?.query ?? "")) on this page"
    }

    /// `'Camden': 2 of 3 matches (n next, N previous)`.
    static func summary(_ state: AppState) -> String? {
        guard let query = state.search?.query, !query.isEmpty, let (items, current) = state.page.unit.searchItems(state) else { return nil }
        let matches = items.indices.filter { items[$0].lowercased().contains(query.lowercased()) }
        guard let position = matches.firstIndex(of: current) else { return "No \(DisplayText.sanitized(query)) on this page" }
        return "'\(DisplayText.sanitized(query))': \(position + 1) of \(matches.count) (n next, N previous, Esc ends)"
    }
}

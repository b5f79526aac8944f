import AttritionTerminal
import Testing

@Suite struct MemoryScreenTests {
    @Test func textIsPlacedAndClippedAtTheEdges() {
        let screen = MemoryScreen(rows: 3, columns: 10)
        screen.put("Funnel", row: 0, column: 2)
        screen.put("0123456789ABC", row: 1, column: 5)
        screen.put("left", row: 2, column: -2)
        screen.put("below", row: 3, column: 0)
        #expect(screen.lines == ["  Funnel", "     01234", "ft"])
    }

    @Test func stylesAreRecordedPerCell() {
        let screen = MemoryScreen(rows: 1, columns: 6)
        screen.put("▼ 12", row: 0, column: 0, style: TextStyle(bold: true, colour: .low))
        #expect(screen.style(row: 0, column: 0) == TextStyle(bold: true, colour: .low))
        #expect(screen.style(row: 0, column: 5) == .plain)
        #expect(screen.lines == ["▼ 12"])
    }

    @Test func clearAndResizeBlankTheScreen() {
        let screen = MemoryScreen(rows: 2, columns: 4)
        screen.put("ab", row: 0, column: 0)
        screen.clear()
        #expect(screen.text == "\n")
        screen.resize(rows: 1, columns: 2)
        screen.put("xyz", row: 0, column: 0)
        #expect(screen.lines == ["xy"])
        screen.present()
        #expect(screen.presentCount == 1)
    }
}

import AttritionCore
import Testing

@Suite struct JourneyTests {
    private func facts(referred: Bool = false, charged: Bool = false, prosecuted: Bool = false, convicted: Bool = false,
                       police: Int? = nil, court: CourtOutcome? = nil) -> JourneyFacts {
        var facts = JourneyFacts()
        facts.hasReferredDate = referred
        facts.hasChargedDate = charged
        facts.hasProsecutedDate = prosecuted
        facts.hasConvictedDate = convicted
        facts.police = police.flatMap(PoliceOutcome.init(code:))
        facts.court = court
        return facts
    }

    @Test func furthestStageFollowsTheContract() {
        #expect(Journey.furthestStage(facts()) == .reported)
        #expect(Journey.furthestStage(facts(referred: true)) == .referred)
        #expect(Journey.furthestStage(facts(charged: true)) == .charged)
        #expect(Journey.furthestStage(facts(police: 1)) == .charged)
        #expect(Journey.furthestStage(facts(police: 16)) == .reported)
        #expect(Journey.furthestStage(facts(prosecuted: true)) == .prosecuted)
        #expect(Journey.furthestStage(facts(court: .acquitted)) == .prosecuted)
        #expect(Journey.furthestStage(facts(court: .discontinued)) == .reported)
        #expect(Journey.furthestStage(facts(court: .convicted)) == .convicted)
    }

    @Test func convictionWithNoChargeDateStillPassesEveryStage() throws {
        let text = "case_id,reported_date,crime_type,bcu,referred_date,charged_date,prosecuted_date,convicted_date\n1,2023-01-01,Rape,N,,,,2023-06-01\n"
        let table = try importText(text).table
        let funnel = try FunnelAnalysis.funnel(of: table, by: nil)
        #expect(Stage.allCases.map { funnel.total.counts.reached($0) } == [1, 1, 1, 1, 1])
    }

    @Test func openAndClosed() {
        #expect(Journey.outcome(facts()) == .open)
        #expect(Journey.outcome(facts(referred: true)) == .open)
        #expect(Journey.outcome(facts(police: 1)) == .open)
        #expect(Journey.outcome(facts(police: 14)) == .police(PoliceOutcome(code: 14)!))
        #expect(Journey.outcome(facts(charged: true, police: 1, court: .discontinued)) == .court(.discontinued))
        #expect(Journey.outcome(facts(charged: true, police: 16, court: .acquitted)) == .court(.acquitted))
        #expect(Journey.outcome(facts(charged: true, court: .other)) == .court(.other))
        #expect(Journey.outcome(facts(prosecuted: true)) == .open)
        #expect(Journey.outcome(facts(convicted: true, police: 16)) == .convicted)
    }

    @Test func outcomeCodesRoundTripAndHaveOfficialNames() {
        #expect(PoliceOutcome.all.count == 22)
        for outcome in PoliceOutcome.all { #expect(CaseOutcome(code: CaseOutcome.police(outcome).code) == .police(outcome)) }
        for court in [CourtOutcome.acquitted, .discontinued, .other] { #expect(CaseOutcome(code: CaseOutcome.court(court).code) == .court(court)) }
        #expect(PoliceOutcome(code: 14)?.name == "Evidential difficulties: suspect not identified; victim does not support further action")
        #expect(PoliceOutcome(code: 16)?.name == "Evidential difficulties: suspect identified; victim does not support further action")
        #expect(PoliceOutcome(code: 0) == nil)
        #expect(PoliceOutcome(code: 23) == nil)
    }

    @Test func policeOutcomeByCodeOrName() {
        #expect(FieldParsing.policeOutcome("15")?.code == 15)
        #expect(FieldParsing.policeOutcome("Outcome 16")?.code == 16)
        #expect(FieldParsing.policeOutcome("OC18")?.code == 18)
        #expect(FieldParsing.policeOutcome("investigation complete - no suspect identified")?.code == 18)
        #expect(FieldParsing.policeOutcome("EVIDENTIAL DIFFICULTIES: SUSPECT IDENTIFIED; VICTIM SUPPORTS ACTION")?.code == 15)
        #expect(FieldParsing.policeOutcome("lost") == nil)
    }

    @Test func datesInBothFormats() {
        func date(_ text: String) -> DayNumber? { Array(text.utf8).withUnsafeBytes { FieldParsing.date($0) } }
        #expect(date("2024-02-29") == DayNumber(year: 2024, month: 2, day: 29))
        #expect(date("29/02/2024") == DayNumber(year: 2024, month: 2, day: 29))
        #expect(date("1/2/2023") == DayNumber(year: 2023, month: 2, day: 1))
        #expect(date("2023-02-29") == nil)
        #expect(date("31/04/2023") == nil)
        #expect(date("2023/01/01") == nil)
        #expect(date("01-01-2023") == nil)
        #expect(date("2023-1-1") == nil)
        #expect(DayNumber(days: 0).iso == "1970-01-01")
        #expect(DayNumber(year: 2000, month: 3, day: 1)?.iso == "2000-03-01")
        for days in stride(from: Int32(-800), to: 30_000, by: 37) {
            let (y, m, d) = DayNumber(days: days).components
            #expect(DayNumber(year: y, month: m, day: d)?.days == days)
        }
    }

    /// Every year, month and day written out, valid or not, read as the calendar has it: a field's
    /// date is found from a table of month starts, checked here against the calendar arithmetic.
    @Test func everyDateOfThePlausibleYearsReadsAsTheCalendarHasIt() {
        func date(_ text: String) -> DayNumber? { Array(text.utf8).withUnsafeBytes { FieldParsing.date($0) } }
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        var read = 0
        for year in [1899, 1900, 1901, 1999, 2000, 2023, 2024, 2100, 2199, 2200] {
            for month in 0...13 {
                for day in 0...32 {
                    let expected = (1900..<2200).contains(year) ? DayNumber(year: year, month: month, day: day) : nil
                    #expect(date("\(year)-\(two(month))-\(two(day))") == expected)
                    #expect(date("\(day)/\(month)/\(year)") == expected)
                    if expected != nil { read += 1 }
                }
            }
        }
        // 365 days in each of 1901, 2023, 2100 (not a leap year), 2199; 366 in 2000, 2024; 365 in 1900, 1999.
        #expect(read == 365 * 6 + 366 * 2)
    }
}

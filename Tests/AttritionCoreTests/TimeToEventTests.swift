import AttritionCore
import Foundation
import Testing

/// Aalen–Johansen and Kaplan–Meier estimates against hand-worked examples and known identities.
@Suite struct TimeToEventTests {
    private func f(_ days: Int, _ ending: FollowUp.Ending, _ weight: Int = 1) -> FollowUp { FollowUp(days: days, ending: ending, weight: weight) }

    @Test func withoutCensoringTheIncidenceIsTheSimpleShareAndItsVarianceBinomial() throws {
        // 20 cases, no censoring: F(t) is the share with the event by t, Var = F(1−F)/n exactly.
        let kinds: [FollowUp.Ending] = [.event, .competing, .competing, .event, .competing, .event, .event, .competing, .competing, .event,
                                        .competing, .event, .competing, .competing, .event, .event, .competing, .event, .competing, .event]
        let followUps = kinds.enumerated().map { f($0.offset + 1, $0.element) }
        for day in [3, 8, 14, 20] {
            let estimate = try #require(TimeToEvent.cumulativeIncidence(followUps, byDay: day))
            let share = Double(kinds.prefix(day).filter { $0 == .event }.count) / 20
            #expect(abs(estimate.estimate - share) < 1e-12)
            #expect(abs(estimate.variance - share * (1 - share) / 20) < 1e-12)
        }
    }

    @Test func handWorkedExampleWithCensoringAndTies() throws {
        // Day 0: 1 censored (at risk on day 0, so it counts in no risk set with events after).
        // Day 2: 1 event, 1 competing among 5 at risk. Day 3: 1 censored. Day 5: 1 event among 2.
        let followUps = [f(0, .censored), f(2, .event), f(2, .competing), f(3, .censored), f(5, .event), f(7, .censored)]
        // n(2) = 5: S before = 1, F = 1/5; S = 1 − 2/5 = 0.6. n(5) = 2: F += 0.6 × 1/2 = 0.3 → 0.5.
        let curve = TimeToEvent.incidenceCurve(followUps)
        #expect(curve.map(\.day) == [2, 5])
        #expect(abs(curve[0].incidence - 0.2) < 1e-12)
        #expect(abs(curve[1].incidence - 0.5) < 1e-12)
        #expect(abs(try #require(TimeToEvent.cumulativeIncidence(followUps, byDay: 4)).estimate - 0.2) < 1e-12)
        #expect(abs(try #require(TimeToEvent.cumulativeIncidence(followUps, byDay: 365)).estimate - 0.5) < 1e-12)
        // Weights count as that many cases.
        let weighted = [f(2, .event, 3), f(2, .competing, 1), f(9, .censored, 4)]
        let expanded = Array(repeating: f(2, .event), count: 3) + [f(2, .competing)] + Array(repeating: f(9, .censored), count: 4)
        #expect(TimeToEvent.cumulativeIncidence(weighted, byDay: 10)!.estimate == TimeToEvent.cumulativeIncidence(expanded, byDay: 10)!.estimate)
        #expect(abs(TimeToEvent.cumulativeIncidence(weighted, byDay: 10)!.variance
            - TimeToEvent.cumulativeIncidence(expanded, byDay: 10)!.variance) < 1e-15)
    }

    @Test func allCensoredAndEmpty() throws {
        let estimate = try #require(TimeToEvent.cumulativeIncidence([f(0, .censored), f(10, .censored)], byDay: 30))
        #expect(estimate.estimate == 0)
        #expect(estimate.interval.lowerBound == 0)
        #expect(abs(estimate.interval.upperBound - (1 - pow(0.025, 0.5))) < 1e-12)
        #expect(TimeToEvent.cumulativeIncidence([], byDay: 30) == nil)
        #expect(TimeToEvent.kaplanMeierMedian([f(0, .censored), f(3, .censored)]) == nil)
    }

    @Test func aGroupOfOne() throws {
        let reached = try #require(TimeToEvent.cumulativeIncidence([f(4, .event)], byDay: 10))
        #expect(reached.estimate == 1)
        #expect(reached.interval == 0.025...1)
        #expect(TimeToEvent.kaplanMeierMedian([f(4, .event)]) == 4)
    }

    @Test func kaplanMeierMedianByHand() {
        // Events at 1, 2, 4; censored at 3 and 5. S: 1 → 4/5 (day 1) → 3/5 (day 2) → 3/5 × 1/2 = 0.3 (day 4).
        #expect(TimeToEvent.kaplanMeierMedian([f(1, .event), f(2, .event), f(3, .censored), f(4, .event), f(5, .censored)]) == 4)
        // Exactly 0.5 on a flat stretch: the midpoint of the two event days (10, 20, 30, 40 → 25).
        #expect(TimeToEvent.kaplanMeierMedian([f(10, .event), f(20, .event), f(30, .event), f(40, .event)]) == 25)
        // Censoring on the event day: events first, so the censored case was at risk that day.
        #expect(TimeToEvent.kaplanMeierMedian([f(5, .event), f(5, .censored), f(8, .event)]) == 8)
    }

    @Test func surveyOfASmallCaseFileFollowsTheContract() throws {
        // A: reported 2024-01-01, charged 2024-01-31 (30 days). B: closed at report + 10 days
        // (outcome_date). C: open, censored at the as-of date 2024-03-01 (60 days). D: reached
        // prosecution with no charge date: its event date is the first hearing, 40 days.
        let header = "case_id,reported_date,crime_type,bcu,referred_date,charged_date,prosecuted_date,police_outcome,court_outcome,outcome_date"
        let rows = [
            "A,2024-01-01,Rape,North,2024-01-10,2024-01-31,,1,,",
            "B,2024-01-01,Rape,North,,,,16,,2024-01-11",
            "C,2024-01-01,Rape,North,,,,,,",
            "D,2024-01-01,Rape,North,2024-01-05,,2024-02-10,,,",
        ]
        let table = try importText(([header] + rows).joined(separator: "\n")).table
        let survival = try SurvivalAnalysis.survival(of: table, by: nil, stage: .charged, days: 35,
                                                     asOf: DayNumber(year: 2024, month: 3, day: 1), filter: CaseFilter())
        // Day 10: B competes (n = 4); day 30: A reaches (n = 3, S = 3/4): F = 1/4; day 40: D (n = 2) after day 35.
        #expect(abs(survival.total.reached! - 0.25) < 1e-12)
        #expect(survival.total.events == 2 && survival.total.competing == 1 && survival.total.censored == 1)
        let later = try SurvivalAnalysis.survival(of: table, by: nil, stage: .charged, days: 45,
                                                  asOf: DayNumber(year: 2024, month: 3, day: 1), filter: CaseFilter())
        // Day 40: D reaches with n = 2, S = 3/4 × 2/3 = 1/2 → F = 1/4 + 1/2 × 1/2 = 1/2.
        #expect(abs(later.total.reached! - 0.5) < 1e-12)
        // As of an earlier date, what happened after it is not yet known: censored there.
        let early = try SurvivalAnalysis.survival(of: table, by: nil, stage: .charged, days: 45,
                                                  asOf: DayNumber(year: 2024, month: 1, day: 20), filter: CaseFilter())
        #expect(early.total.reached == 0)
        #expect(early.total.censored == 3 && early.total.competing == 1)
        #expect(throws: QueryError.self) {
            try SurvivalAnalysis.survival(of: table, by: nil, stage: .reported, days: 30, asOf: nil, filter: CaseFilter())
        }
    }
}

import Foundation

/// One case's follow-up for a time-to-event figure: days from report to what happened first.
public struct FollowUp: Equatable, Sendable {
    /// What ended the follow-up.
    public enum Ending: UInt8, Sendable {
        /// Still open at the as-of date (right-censored).
        case censored
        /// The event of interest (reaching the stage).
        case event
        /// A competing event: the case closed before reaching the stage.
        case competing
    }

    /// Days from report.
    public let days: Int
    /// What happened then.
    public let ending: Ending
    /// How many cases the row stands for.
    public let weight: Int

    /// A follow-up of `days` ending in `ending`, standing for `weight` cases.
    public init(days: Int, ending: Ending, weight: Int = 1) {
        self.days = days
        self.ending = ending
        self.weight = weight
    }
}

/// The estimators of time-to-event figures, pure functions of the follow-ups: the Aalen–Johansen
/// cumulative incidence under competing events (Aalen and Johansen 1978; for discrete times as
/// in Pintilie 2006, Competing Risks: A Practical Perspective, ch. 4) and the Kaplan–Meier
/// survival curve (Kaplan and Meier 1958). At a tied time events come before censorings: a case
/// censored on day t was still at risk on day t.
public enum TimeToEvent {
    /// The distinct days on which something happened, with the cases at risk then.
    struct RiskSet {
        let day: Int
        /// Cases followed up to this day or beyond.
        let atRisk: Int
        /// Events of interest on this day.
        let events: Int
        /// Competing events on this day.
        let competing: Int
    }

    /// Risk sets on every day with an event or a competing event, in day order.
    static func riskSets(_ followUps: [FollowUp]) -> [RiskSet] {
        let sorted = followUps.filter { $0.weight > 0 }.sorted { $0.days < $1.days }
        var remaining = sorted.reduce(0) { $0 + $1.weight }
        var sets: [RiskSet] = []
        var index = 0
        while index < sorted.count {
            let day = sorted[index].days
            var (events, competing, leaving) = (0, 0, 0)
            while index < sorted.count, sorted[index].days == day {
                switch sorted[index].ending {
                case .event: events += sorted[index].weight
                case .competing: competing += sorted[index].weight
                case .censored: break
                }
                leaving += sorted[index].weight
                index += 1
            }
            if events + competing > 0 { sets.append(RiskSet(day: day, atRisk: remaining, events: events, competing: competing)) }
            remaining -= leaving
        }
        return sets
    }

    /// The Aalen–Johansen recursion over `sets`: after each day, the probability of no event of
    /// either kind before it, S(tⱼ₋₁), and the cumulative incidence of the event by its end,
    /// F(tⱼ) = F(tⱼ₋₁) + S(tⱼ₋₁)·d₁ⱼ/nⱼ, S being the Kaplan–Meier probability of no event of either kind.
    static func aalenJohansen(_ sets: [RiskSet]) -> [(set: RiskSet, before: Double, incidence: Double)] {
        var survival = 1.0, incidence = 0.0
        return sets.map { set in
            let n = Double(set.atRisk), before = survival
            incidence += before * Double(set.events) / n
            survival *= 1 - Double(set.events + set.competing) / n
            return (set, before, incidence)
        }
    }

    /// The cumulative incidence of the event at the end of each day with an event, from day 0
    /// (`aalenJohansen`).
    public static func incidenceCurve(_ followUps: [FollowUp]) -> [(day: Int, incidence: Double)] { incidenceCurve(riskSets(followUps)) }

    /// The incidence curve from risk sets already worked out.
    static func incidenceCurve(_ sets: [RiskSet]) -> [(day: Int, incidence: Double)] {
        aalenJohansen(sets).compactMap { $0.set.events > 0 ? ($0.set.day, $0.incidence) : nil }
    }

    /// The cumulative incidence by the end of day `day`, its delta-method variance (Marubini and
    /// Valsecchi 1995, Analysing Survival Data from Clinical Trials, §10.3):
    /// Var F(t) = Σ [F(t) − F(tⱼ)]²·dⱼ/(nⱼ(nⱼ − dⱼ)) + Σ S(tⱼ₋₁)²·d₁ⱼ(nⱼ − d₁ⱼ)/nⱼ³ − 2 Σ [F(t) − F(tⱼ)]·S(tⱼ₋₁)·d₁ⱼ/nⱼ²
    /// (dⱼ events of either kind), and the 95% interval on the log(−log) scale,
    /// F^exp(±1.96·√Var/(F·ln F)), which stays within 0 and 1. At F = 0 (or 1), where that scale
    /// and the variance say nothing, the exact binomial bound for 0 (or all) of the n cases
    /// followed: up to 1 − 0.025^(1/n) (from 0.025^(1/n)). Nil with no follow-up at all.
    public static func cumulativeIncidence(_ followUps: [FollowUp], byDay day: Int)
        -> (estimate: Double, variance: Double, interval: ClosedRange<Double>)? {
        let followed = followUps.reduce(0) { $0 + $1.weight }
        guard followed > 0 else { return nil }
        return cumulativeIncidence(riskSets(followUps), followed: followed, byDay: day)
    }

    /// The cumulative incidence by `day` from risk sets already worked out, `followed` cases in all (at least one).
    static func cumulativeIncidence(_ sets: [RiskSet], followed: Int, byDay day: Int)
        -> (estimate: Double, variance: Double, interval: ClosedRange<Double>) {
        let steps = aalenJohansen(sets.filter { $0.day <= day })
        let f = steps.last?.incidence ?? 0
        var variance = 0.0
        for (set, before, fj) in steps {
            let n = Double(set.atRisk), d = Double(set.events + set.competing), d1 = Double(set.events)
            if n > d { variance += (f - fj) * (f - fj) * d / (n * (n - d)) }
            variance += before * before * d1 * (n - d1) / (n * n * n)
            variance -= 2 * (f - fj) * before * d1 / (n * n)
        }
        variance = max(0, variance)
        let cases = Double(followed)
        if f <= 0 { return (0, variance, 0...(1 - pow(0.025, 1 / cases))) }
        if f >= 1 { return (1, variance, pow(0.025, 1 / cases)...1) }
        guard variance > 0 else { return (f, variance, f...f) }
        let spread = Statistics.z95 * variance.squareRoot() / (f * log(f))
        let (a, b) = (pow(f, exp(spread)), pow(f, exp(-spread)))
        return (f, variance, min(a, b)...max(a, b))
    }

    /// The Kaplan–Meier median time to the event, competing events (if any) treated as censored:
    /// the first day the survival curve falls to 0.5 or below; where it stays exactly at 0.5
    /// until the next event day, the midpoint of the two days (as R's `survfit` does). Nil when
    /// the curve never reaches 0.5 (the median is not yet known).
    public static func kaplanMeierMedian(_ followUps: [FollowUp]) -> Double? {
        var survival = 1.0
        let sets = riskSets(followUps.map { $0.ending == .competing ? FollowUp(days: $0.days, ending: .censored, weight: $0.weight) : $0 })
        for (index, set) in sets.enumerated() {
            survival *= 1 - Double(set.events) / Double(set.atRisk)
            if abs(survival - 0.5) < 1e-12 {
                return index + 1 < sets.count ? Double(set.day + sets[index + 1].day) / 2 : Double(set.day)
            }
            if survival < 0.5 { return Double(set.day) }
        }
        return nil
    }
}

-- The month's settlement inputs per SI in one hand-written query: what AssessPeriod and ClosePeriod read for 2026-10
-- (complaints counted, on time, excluded; group revisits; billed users and group customers; whether the complaint
-- threshold is reached; gross and paid refunds to deduct). 2026-10 in Asia/Shanghai as UTC ticks:
-- [2026-09-30T16:00Z, 2026-10-31T16:00Z) = [639263808000000000, 639290592000000000).
WITH month_complaints AS (
    SELECT PartnerId,
           sum(CountsInAssessment) AS counted,
           sum(CountsInAssessment AND CompletedOnTime) AS on_time,
           sum(NOT CountsInAssessment) AS excluded
    FROM WorkOrders
    WHERE Kind = 'Complaint' AND ResponsibleKind = 'ServiceIntegrator'
      AND CreatedAt >= 639263808000000000 AND CreatedAt < 639290592000000000 AND PartnerId IS NOT NULL
    GROUP BY PartnerId),
month_revisits AS (
    SELECT PartnerId,
           sum(Satisfaction IN ('VerySatisfied', 'Satisfied')) AS satisfied,
           count(*) AS total
    FROM WorkOrderRevisits
    WHERE GroupCustomer AND RevisitedAt >= 639263808000000000 AND RevisitedAt < 639290592000000000 AND PartnerId IS NOT NULL
    GROUP BY PartnerId),
deductions AS (
    SELECT PartnerId, sum(RefundMinor) AS refunded, count(*) AS refund_count
    FROM Refunds WHERE DeductionMonth = '2026-10' AND State = 'Paid'
    GROUP BY PartnerId)
SELECT count(*) AS sis,
       sum(coalesce(c.counted, 0)) AS counted,
       sum(coalesce(c.on_time, 0)) AS on_time,
       sum(coalesce(c.excluded, 0)) AS excluded,
       sum(coalesce(r.satisfied, 0)) AS satisfied_revisits,
       sum(coalesce(r.total, 0)) AS group_revisits,
       sum(CASE WHEN coalesce(p.Mode, 'C') = 'C' THEN coalesce(c.counted, 0) * 10000 >= 5 * b.BilledUsers
                ELSE coalesce(c.counted, 0) >= 5 END) AS threshold_reached,
       sum(coalesce(s.GrossAmountMinor, 0)) AS gross,
       sum(coalesce(f.refunded, 0)) AS refunded
FROM Partners p
LEFT JOIN month_complaints c ON c.PartnerId = p.Id
LEFT JOIN month_revisits r ON r.PartnerId = p.Id
LEFT JOIN SubscriberBases b ON b.PartnerId = p.Id AND b.Month = '2026-10'
LEFT JOIN SettlementBases s ON s.PartnerId = p.Id AND s.Month = '2026-10'
LEFT JOIN deductions f ON f.PartnerId = p.Id
WHERE p.Kind = 'ServiceIntegrator' AND p.Status <> 'Cancelled';

-- Where a file publishes counts, its percentage equals 100 x numerator / denominator to 0.1 pp.
select measure, geography_code, academic_year, breakdown_value, value, value_from_counts, source
from {{ ref('int_gld_published') }}
where value_from_counts is not null and abs(value - value_from_counts) > 0.1

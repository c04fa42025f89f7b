{#- One row per peer group × borough compared with it × member: who each borough is benchmarked against.
    statistical_neighbours: the borough's 10 DfE statistical neighbours (children's services statistical
    neighbour benchmarking tool; var statistical_neighbours_model, 2025 by default, 2021 selectable), never
    the borough itself. Custom groups from seeds/reference/peer_groups.csv (participating boroughs, Inner and
    Outer London, or listed boroughs): every member is compared with the whole group, itself included (like
    London). -#}
{%- set model_year = var('statistical_neighbours_model', 2025) | int %}
with

neighbours as (
    select * from {{ ref('int_statistical_neighbours') }}
    where model = {{ model_year }}
),

boroughs as (
    select * from {{ ref('dim_boroughs') }}
),

peer_groups as (
    select * from {{ ref('peer_groups') }}
),

counts as (
    select * from {{ ref('int_indicator_counts_rolled_up') }}
),

-- London boroughs that send records to the mart (any extract, any period)
participating as (
    select distinct counts.borough_code
    from counts
    inner join boroughs
        on counts.borough_code = boroughs.borough_code
    where counts.geography_level = 'borough'
        and not counts.is_published_statistic
        and boroughs.region_code is not null
),

statistical as (
    select
        'statistical_neighbours' as peer_group_id,
        'Statistical neighbours (DfE {{ model_year }} model)' as peer_group_name,
        neighbours.borough_code,
        neighbours.neighbour_code as member_code
    from neighbours
    inner join boroughs
        on neighbours.borough_code = boroughs.borough_code
    where neighbours.neighbour_code is not null
),

custom_members as (
    select
        peer_groups.peer_group_id,
        peer_groups.peer_group_name,
        boroughs.borough_code as member_code
    from peer_groups
    inner join boroughs
        on (peer_groups.members = 'inner_london' and boroughs.inner_outer = 'Inner London')
        or (peer_groups.members = 'outer_london' and boroughs.inner_outer = 'Outer London')
        or (
            peer_groups.members = 'participating'
            and boroughs.borough_code in (select participating.borough_code from participating)
        )
        or list_contains(string_split(trim(peer_groups.members), ' '), boroughs.borough_code)
),

custom as (
    select
        subjects.peer_group_id,
        subjects.peer_group_name,
        subjects.member_code as borough_code,
        members.member_code
    from custom_members as subjects
    inner join custom_members as members
        on subjects.peer_group_id = members.peer_group_id
),

final as (
    select * from statistical
    union all
    select * from custom
)

select * from final

-- Reference data every map shares: the UN M49 regions and sub-regions, and
-- the stakeholder groups of the Internet-governance literature.

INSERT INTO source (key, title, url, publisher, review_status) VALUES
    ('un-m49', 'Standard country or area codes for statistical use (M49)',
     'https://unstats.un.org/unsd/methodology/m49/', 'United Nations Statistics Division', 'accepted'),
    ('apc-wgec-second-meeting', 'UN Working Group on Enhanced Cooperation: report on the second meeting',
     'https://www.apc.org/en/blog/un-working-group-enhanced-cooperation-report-second-meeting',
     'Association for Progressive Communications', 'accepted');

INSERT INTO region (code, m49, name, source_id, review_status)
SELECT v.code, v.m49, v.name, s.id, 'accepted'
  FROM (VALUES
    ('world', '001', 'World'),
    ('africa', '002', 'Africa'),
    ('northern-africa', '015', 'Northern Africa'),
    ('sub-saharan-africa', '202', 'Sub-Saharan Africa'),
    ('eastern-africa', '014', 'Eastern Africa'),
    ('middle-africa', '017', 'Middle Africa'),
    ('southern-africa', '018', 'Southern Africa'),
    ('western-africa', '011', 'Western Africa'),
    ('americas', '019', 'Americas'),
    ('latin-america-and-the-caribbean', '419', 'Latin America and the Caribbean'),
    ('caribbean', '029', 'Caribbean'),
    ('central-america', '013', 'Central America'),
    ('south-america', '005', 'South America'),
    ('northern-america', '021', 'Northern America'),
    ('asia', '142', 'Asia'),
    ('central-asia', '143', 'Central Asia'),
    ('eastern-asia', '030', 'Eastern Asia'),
    ('south-eastern-asia', '035', 'South-eastern Asia'),
    ('southern-asia', '034', 'Southern Asia'),
    ('western-asia', '145', 'Western Asia'),
    ('europe', '150', 'Europe'),
    ('eastern-europe', '151', 'Eastern Europe'),
    ('northern-europe', '154', 'Northern Europe'),
    ('southern-europe', '039', 'Southern Europe'),
    ('western-europe', '155', 'Western Europe'),
    ('oceania', '009', 'Oceania'),
    ('australia-and-new-zealand', '053', 'Australia and New Zealand'),
    ('melanesia', '054', 'Melanesia'),
    ('micronesia', '057', 'Micronesia'),
    ('polynesia', '061', 'Polynesia')
  ) AS v(code, m49, name), source s
 WHERE s.key = 'un-m49';

UPDATE region c SET parent_id = p.id
  FROM (VALUES
    ('africa', 'world'), ('americas', 'world'), ('asia', 'world'), ('europe', 'world'), ('oceania', 'world'),
    ('northern-africa', 'africa'), ('sub-saharan-africa', 'africa'),
    ('eastern-africa', 'sub-saharan-africa'), ('middle-africa', 'sub-saharan-africa'),
    ('southern-africa', 'sub-saharan-africa'), ('western-africa', 'sub-saharan-africa'),
    ('latin-america-and-the-caribbean', 'americas'), ('northern-america', 'americas'),
    ('caribbean', 'latin-america-and-the-caribbean'), ('central-america', 'latin-america-and-the-caribbean'),
    ('south-america', 'latin-america-and-the-caribbean'),
    ('central-asia', 'asia'), ('eastern-asia', 'asia'), ('south-eastern-asia', 'asia'),
    ('southern-asia', 'asia'), ('western-asia', 'asia'),
    ('eastern-europe', 'europe'), ('northern-europe', 'europe'), ('southern-europe', 'europe'),
    ('western-europe', 'europe'),
    ('australia-and-new-zealand', 'oceania'), ('melanesia', 'oceania'), ('micronesia', 'oceania'),
    ('polynesia', 'oceania')
  ) AS link(child, parent), region p
 WHERE c.code = link.child AND p.code = link.parent;

-- The WGEC itself was composed of governments and members from the private
-- sector, civil society, the academic/technical community and international
-- organisations (APC's report on its second meeting).
INSERT INTO stakeholder_group (code, name, source_id, review_status)
SELECT v.code, v.name, s.id, 'accepted'
  FROM (VALUES
    ('governments', 'Governments'),
    ('private_sector', 'Private sector'),
    ('civil_society', 'Civil society'),
    ('technical_community', 'Technical community'),
    ('academia', 'Academia'),
    ('intergovernmental_organisations', 'Intergovernmental and international organisations')
  ) AS v(code, name), source s
 WHERE s.key = 'apc-wgec-second-meeting';

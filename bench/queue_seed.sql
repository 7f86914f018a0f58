-- Seeds the queue benchmark (bench/queue); :n is the number of comments.
INSERT INTO authors (site_id, source, external_id, name, email_verified, approved_count, rejected_count, first_seen_at)
SELECT 1, (ARRAY['native','facebook','google','twitter'])[1 + g % 4], 'u-' || g, 'Auteur ' || g,
       g % 3 <> 0, g % 50, g % 7, now() - interval '400 days'
FROM generate_series(1, 100000) g;

INSERT INTO comments (site_id, external_id, author_id, article_id, article, revision, status, queue,
                      priority, language, body_hash, received_at, updated_at, decided_at)
SELECT 1, 'c-' || g, 1 + (g + g / 10) % 100000, 'a-' || g % 5000,
       jsonb_build_object('id', 'a-' || g % 5000, 'section', 'politique'), 1,
       CASE WHEN g % 10 = 0 THEN 'queued' WHEN g % 10 = 1 THEN 'rejected' ELSE 'approved' END,
       CASE WHEN g % 10 = 0 THEN 'pending' WHEN g % 50 = 2 THEN 'reported' END,
       (g % 7) * 10, CASE WHEN g % 3 = 0 THEN 'en' ELSE 'fr' END, md5(g::text),
       now() - make_interval(secs => g), now(), now() - make_interval(secs => g) + interval '1 second'
FROM generate_series(1, :n) g;

INSERT INTO comment_revisions (comment_id, revision, payload, payload_hash, content_hash, body_text, links, received_at)
SELECT id, 1, jsonb_build_object('id', external_id, 'body', 'Commentaire ' || id), md5(id::text), md5(id::text),
       'Commentaire numéro ' || id || ', un argument douteux', '[]'::jsonb, received_at
FROM comments;

INSERT INTO decisions (comment_id, revision, action, status, decided_by, reason, record, ruleset_version, model_version, decided_at)
SELECT id, 1,
       CASE status WHEN 'queued' THEN 'review' WHEN 'rejected' THEN 'reject' ELSE 'approve' END, status, 'auto',
       CASE WHEN status = 'queued' THEN (ARRAY['insult','links','spam','premod'])[1 + id % 4] END,
       jsonb_build_object('action', CASE status WHEN 'queued' THEN 'review' ELSE 'approve' END, 'decided_by', 'auto',
         'rules', jsonb_build_array(jsonb_build_object('id', 'insult-words', 'action', 'review', 'priority', 50,
           'reason', 'insult', 'matches', jsonb_build_array(jsonb_build_object('field', 'body', 'start', 30, 'end', 37, 'text', 'douteux')))),
         'scores', jsonb_build_object('toxicity', 0.71, 'insult', 0.64), 'ruleset_version', 'sha256:bench'),
       'sha256:bench', 'clf-bench', decided_at
FROM comments;

INSERT INTO review_items (comment_id, revision, queue, status, priority, reason, reasons, site_id, article_id,
                          language, author_source, created_at)
SELECT c.id, 1, c.queue, 'open', c.priority,
       CASE WHEN c.queue = 'reported' THEN 'insult' ELSE (ARRAY['insult','links','spam','premod'])[1 + c.id % 4] END,
       jsonb_build_array('insult'), 1, c.article_id, c.language, a.source, c.received_at
FROM comments c JOIN authors a ON a.id = c.author_id WHERE c.queue IS NOT NULL;

INSERT INTO flags (comment_id, site_id, reporter_source, reporter_id, reason, weight, low_standing, created_at)
SELECT c.id, 1, 'native', 'r-' || k, 'insult', 1.25, false, now()
FROM comments c, generate_series(1, 3) k WHERE c.queue = 'reported';


/**
 * Everything an alarm needs about one user, in one statement (the alarm's hot path): the
 * chosen active track, the chosen active scenario or else the default, the contacts oldest
 * first and the therapist contact. $1: the user's id. A platform therapist's name and
 * standing are the users module's, read through UserDirectoryService.
 */
export const ALARM_PLAN_SQL = `
WITH profile AS (SELECT music_track_id, scenario_id FROM ptsd_profiles WHERE user_id = $1)
SELECT
  (SELECT json_build_object('id', t.id, 'name', t.name, 'url', t.url, 'durationSeconds', t.duration_seconds)
     FROM music_tracks t JOIN profile ON profile.music_track_id = t.id
    WHERE t.active) AS track,
  (SELECT json_build_object('id', s.id, 'name', s.name, 'playMusic', s.play_music, 'notifyContacts', s.notify_contacts,
                            'notifyTherapist', s.notify_therapist, 'messageEn', s.message_en, 'messageRu', s.message_ru)
     FROM alarm_scenarios s
    WHERE s.active AND (s.is_default OR s.id = (SELECT scenario_id FROM profile))
    ORDER BY coalesce(s.id = (SELECT scenario_id FROM profile), false) DESC
    LIMIT 1) AS scenario,
  (SELECT coalesce(json_agg(json_build_object('id', c.id, 'name', c.name, 'relationship', c.relationship, 'phone', c.phone,
                                              'email', c.email, 'language', c.language) ORDER BY c.created_at, c.id), '[]'::json)
     FROM emergency_contacts c
    WHERE c.user_id = $1) AS contacts,
  (SELECT json_build_object('kind', tc.kind, 'name', tc.name, 'phone', tc.phone, 'email', tc.email, 'therapistUserId', tc.therapist_user_id)
     FROM therapist_contacts tc
    WHERE tc.user_id = $1) AS therapist
`;

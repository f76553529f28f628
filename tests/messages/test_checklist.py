"""The delegate home page's checklist and e-ticket, and the focal point's checklists per person."""

from datetime import date, datetime, timedelta

from eventhub.db import utcnow
from eventhub.documents.models import PassportDetails
from eventhub.extensions import db
from eventhub.mail.models import MailStatus, OutboxMessage
from eventhub.messages.checklist import State, checklists
from eventhub.signups.models import Booking, BookingStatus


def _states(event, reg):
    return {item.key: item.state for item in checklists(db.session, event, [reg], utcnow())[reg.id]}


def _passport(reg):
    db.session.add(PassportDetails(registration_id=reg.id, name_in_passport="LIN MEI", nationality="Thai",
                                   passport_number="AA1234567", date_of_birth=date(1990, 1, 1),
                                   stay_from=date.today(), stay_to=date.today() + timedelta(days=3)))
    db.session.commit()


def test_checklist_states_follow_what_the_delegate_did(app, make):
    from eventhub.surveys.invitations import hash_token
    from eventhub.surveys.models import Survey, SurveyInvitation, SurveyResponse

    event = make.event()
    visit = make.session(event, kind="site_visit", title="Visit", bookable=True, capacity=5, start="14:00", end="17:00")
    make.session(event, kind="roundtable", title="Roundtable", start="10:30", end="12:00", bookable=True, capacity=5,
                 signup_mode="preference", signup_closes_at=utcnow() + timedelta(days=5))
    reg = make.registration(event, needs_confirmation=True, visa_letter=True)
    assert _states(event, reg) == {"confirm": State.TODO, "letter": State.TODO, "rank": State.TODO,
                                   "visit": State.TODO}

    reg.needs_confirmation = False
    reg.privacy_acknowledged_at = utcnow()
    db.session.add(Booking(session_id=visit.id, registration_id=reg.id, economy_id=reg.economy_id,
                           status=BookingStatus.CONFIRMED))
    db.session.commit()
    _passport(reg)
    states = _states(event, reg)
    assert states["confirm"] == State.DONE and states["visit"] == State.DONE
    assert states["letter"] == State.WAITING  # passport given: the secretariat issues the letter next

    survey = Survey(event_id=event.id, title="Evaluation")
    db.session.add(survey)
    db.session.flush()
    invitation = SurveyInvitation(survey_id=survey.id, registration_id=reg.id, token_hash=hash_token("x"))
    db.session.add(invitation)
    db.session.commit()
    assert _states(event, reg)["survey"] == State.TODO
    db.session.add(SurveyResponse(survey_id=survey.id, invitation_id=invitation.id))
    db.session.commit()
    assert _states(event, reg)["survey"] == State.DONE


def test_home_shows_checklist_e_ticket_calendar_and_messages(client, make, login_as):
    event = make.event()
    make.session(event, kind="site_visit", title="Visit", bookable=True, capacity=5, start="14:00", end="17:00")
    user = make.user()
    reg = make.registration(event, user=user, given_name="Mei", visa_letter=True)
    other = make.registration(event)
    sent = datetime.now().astimezone() - timedelta(hours=2)
    db.session.add_all([
        OutboxMessage(recipients=reg.email, subject="Your seat: Visit", raw=b"x", kind="signups.session",
                      params={"registration": reg.id}, status=MailStatus.SENT, sent_at=sent),
        OutboxMessage(recipients=other.email, subject="Someone else's", raw=b"x", kind="signups.session",
                      params={"registration": other.id}, status=MailStatus.SENT, sent_at=sent)])
    db.session.commit()
    login_as(user)
    page = client.get(f"/events/{event.slug}/home").get_data(as_text=True)
    assert "What is still to do" in page and "Book a site visit" in page
    assert "Request a visa invitation letter" in page and "/passport" in page
    assert 'src="data:image/svg+xml' in page and "Your e-ticket" in page
    assert "webcal://" in page and reg.calendar_token in page
    assert "Your seat: Visit" in page and "Someone else&#39;s" not in page and "Someone else's" not in page


def test_not_approved_delegate_has_no_e_ticket_and_confirms_through_their_link(client, make, login_as):
    event = make.event()
    user = make.user()
    reg = make.registration(event, user=user, status="submitted", needs_confirmation=True)
    login_as(user)
    page = client.get(f"/events/{event.slug}/home").get_data(as_text=True)
    assert "Your e-ticket" not in page and "What is still to do" in page
    assert f"/confirm/{reg.confirm_token}" in page


def test_focal_point_sees_each_persons_checklist_in_bounded_queries(client, make, login_as, query_counter):
    def count(n):
        event = make.event()
        make.session(event, kind="site_visit", title="Visit", bookable=True, capacity=50, start="14:00", end="17:00")
        focal = make.user()
        delegation = make.delegation(event, "THA", quota=50, focal_point=focal)
        regs = [make.registration(event, delegation, given_name=f"Person{i}", visa_letter=i % 2 == 0,
                                  needs_confirmation=i % 3 == 0) for i in range(n)]
        login_as(focal)
        with query_counter() as q:
            response = client.get(f"/events/{event.slug}/home")
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert all(f"Person{i}" in page for i in range(n)) and "Thailand delegation: what is still to do" in page
        assert f"/registrations/{regs[0].id}/edit" in page  # Person0 must still confirm
        assert regs[0].confirm_token not in page  # their personal link is theirs alone
        return q.count

    assert count(2) == count(15)

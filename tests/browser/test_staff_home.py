"""The staff home at a phone's 320 px and a desktop's 1280 px: the name, role and contact
details fit their boxes, and no word is broken inside itself ("Telepho ne")."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import browser_db, sign_in_as
from tests.conftest import give_mfa
from tests.factories import StaffMembershipFactory

# For each element: does it fit (scrollWidth <= clientWidth), and which pieces of text run
# over two lines? A piece is a word, or the part of an e-mail address between the points
# where it may wrap (each <wbr> starts a new text node); Range.getClientRects() gives one
# box per line a piece sits on.
BROKEN_WORDS = """(elements) => elements.map((element) => {
  const broken = [];
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const match of node.data.matchAll(/\\S+/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const lines = new Set([...range.getClientRects()].map((box) => Math.round(box.top)));
      if (lines.size > 1) broken.push(match[0]);
    }
  }
  return {
    text: element.textContent.trim(),
    fits: element.scrollWidth <= element.clientWidth,
    broken,
  };
})"""


@browser_db
@pytest.mark.usefixtures("audit_log_emptied_before_flush")  # the staff page is audited
@pytest.mark.parametrize("width", [320, 1280])
def test_no_word_on_the_staff_home_is_broken_inside_itself(new_context, live_server, width):
    membership = StaffMembershipFactory(
        user__first_name="Priya", user__last_name="Shah", user__email="priya.shah@leeds.example"
    )
    give_mfa(membership.user)
    school = membership.virtual_school
    school.email = "kinship.virtual.school.team@leeds.example"  # longer than a phone is wide
    school.phone = "0113 378 5000"
    school.advice_line_hours = "Monday to Friday, 9am to 5pm"
    school.save()
    context = new_context(viewport={"width": width, "height": 800})
    sign_in_as(context, membership.user, live_server)
    page = context.new_page()
    page.goto("/school/")
    expect(page.locator("#signed-in-as")).to_have_text(
        "Signed in as Priya Shah, Virtual School officer."
    )
    details = page.locator("#contact-details")
    expect(details).to_contain_text("kinship.virtual.school.team@leeds.example")
    elements = page.locator("#signed-in-as, #contact-details dt, #contact-details dd")
    assert elements.count() == 7
    problems = [r for r in elements.evaluate_all(BROKEN_WORDS) if not r["fits"] or r["broken"]]
    assert not problems, f"at {width} px: {problems}"

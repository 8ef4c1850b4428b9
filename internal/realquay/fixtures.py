"""Add the fixtures go-quay's live contract suite reads to a copy of realquay's
pristine database, with Quay's own model code, before that copy is served.

    usage: python3 fixtures.py        (run from the Quay source root, in run.sh's
                                       environment, TEST_DATABASE_URI naming the copy)

initdb.py's state lacks four things the suite needs, each a state a production
Quay reaches on its own:

* a quiet past day with more than 20 audit-log entries, for the log paging
  cases (initdb spreads 26 entries over five days);
* a finished build in a repository the superuser devtable is no member of
  (initdb's three builds are in devtable's own repository and all wait for
  a build worker, which never runs here);
* an app-specific token that expires soon (initdb's one never expires);
* a repository the normal user (freshuser, QUAY_USER_TOKEN's) administers,
  for the notification cases (initdb gives freshuser none).

Prints the QUAY_CONTRACT_* assignments that name them, for the caller to export.
"""
import logging
from datetime import datetime, timedelta

logging.basicConfig(level=logging.ERROR)

from app import app  # noqa: E402,F401  (configures the database)
from data import model  # noqa: E402
from data.database import BUILD_PHASE  # noqa: E402
from data.model import appspecifictoken  # noqa: E402

FINISHED_BUILD = "f1e1d000-9000-4000-8000-00000000c0de"
LOG_KINDS = ["org_create_team", "org_add_team_member", "change_repo_permission", "push_repo", "pull_repo"]
LOG_ENTRIES = 25


def quiet_log_day():
    """Writes LOG_ENTRIES entries, a minute apart, on the day three days ago."""
    day = (datetime.utcnow() - timedelta(days=3)).replace(hour=9, minute=0, second=0, microsecond=0)
    performer = model.user.get_user("devtable")
    for i in range(LOG_ENTRIES):
        model.log.log_action(
            LOG_KINDS[i % len(LOG_KINDS)],
            "buynlarge",
            performer=performer,
            ip="10.0.0.%d" % (i + 1),
            metadata={"fixture": "go-quay", "n": i},
            timestamp=day + timedelta(minutes=i),
        )
    return day.strftime("%Y-%m-%d")


def finished_build():
    """A completed build of orgwithnosuperuser/repo, whose only owner is
    normaluser: what the build views show a superuser (or the read-only
    superuser) who is no member of the repository."""
    repo = model.repository.get_repository("orgwithnosuperuser", "repo")
    token = model.token.create_access_token(repo, "write", "build-worker")
    build = model.build.create_repository_build(
        repo, token, {"docker_tags": ["latest"], "build_subdir": ""}, None, "go-quay-finished"
    )
    build.uuid = FINISHED_BUILD
    build.phase = BUILD_PHASE.COMPLETE
    build.save()
    return build.uuid


def expiring_app_token():
    """An app token of devtable's that expires in a day: within the tenth of
    its lifetime that Quay calls expiring (4 weeks when unset)."""
    appspecifictoken.create_token(
        model.user.get_user("devtable"), "go-quay expiring", expiration=datetime.now() + timedelta(days=1)
    )


def user_repository():
    """A private repository of freshuser's, created as freshuser creates one
    (the creator gets admin)."""
    user = model.user.get_user("freshuser")
    model.repository.create_repository("freshuser", "contract", user, visibility="private")
    return "freshuser/contract"


expiring_app_token()
print("QUAY_CONTRACT_REPOSITORY=%s" % user_repository())
print("QUAY_CONTRACT_LOG_DAY=%s" % quiet_log_day())
print("QUAY_CONTRACT_BUILD=%s" % finished_build())

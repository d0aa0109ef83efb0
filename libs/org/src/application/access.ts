import { ForbiddenError, NotFoundError } from '@app/kernel';
import type { Principal, Role } from '@app/auth';
import type { UnitDirectory } from './unit-directory';

/**
 * Authorization scoped by the hierarchy (DESIGN.md "API"): a user acts for their own unit;
 * admins manage their subtree; everyone reads their own subtree, oversight groups the subtrees
 * they are given.
 */
export class Access {
  constructor(private readonly directory: UnitDirectory) {}

  private hasRole(principal: Principal, roles: readonly Role[]): boolean {
    return principal.roles.some((role) => roles.includes(role));
  }

  requireUnit(unitId: string): void {
    if (!this.directory.get(unitId)) throw new NotFoundError('UNIT.NOT_FOUND', `Unit ${unitId} does not exist`, { unitId });
  }

  /** The principal acts for exactly this unit, with one of these roles. */
  requireActingFor(principal: Principal, unitId: string, roles: readonly Role[]): void {
    if (principal.unitId !== unitId) {
      throw new ForbiddenError('AUTH.NOT_YOUR_UNIT', `You act for unit ${principal.unitId}, not ${unitId}`, { unitId });
    }
    this.requireRole(principal, roles);
  }

  requireRole(principal: Principal, roles: readonly Role[]): void {
    if (!this.hasRole(principal, roles)) {
      throw new ForbiddenError('AUTH.ROLE_REQUIRED', `This needs the role ${roles.join(' or ')}`, { roles });
    }
  }

  /** The principal has one of the roles, and the unit is theirs or below theirs. */
  requireRoleOver(principal: Principal, unitId: string, roles: readonly Role[]): void {
    this.requireRole(principal, roles);
    if (!this.directory.isWithin(unitId, principal.unitId)) {
      throw new ForbiddenError('AUTH.OUTSIDE_SUBTREE', `Unit ${unitId} is outside the subtree of ${principal.unitId}`, {
        unitId,
      });
    }
  }

  canRead(principal: Principal, unitId: string): boolean {
    return [principal.unitId, ...principal.oversight].some((root) => this.directory.isWithin(unitId, root));
  }

  requireRead(principal: Principal, unitId: string): void {
    if (!this.canRead(principal, unitId)) {
      throw new ForbiddenError('AUTH.OUTSIDE_SUBTREE', `Unit ${unitId} is outside what you may read`, { unitId });
    }
  }
}
